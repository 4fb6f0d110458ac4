/*
 * util/file.c: atomic, non-following file output (see sd_file.h).
 */
#include "util/sd_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
file_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	return "not a regular file";
}

/* Opens a new temporary file "DIR/.BASE.XXXXXXXX" beside path; -1 with errno on failure. */
static int
open_temp(const char *path, sd_str *tmp)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;

	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char rnd[6];
		int fd;
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -1;
		sd_str_clear(tmp);
		sd_str_appendn(tmp, path, dir_len);
		sd_str_appendf(tmp, ".%s.", path + dir_len);
		for (size_t i = 0; i < sizeof(rnd); i++)
			sd_str_appendf(tmp, "%02x", rnd[i]);
		/* O_EXCL: the name is never an existing file or a planted symlink. */
		fd = open(tmp->ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

static bool
write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

int
sd_file_write_atomic(const char *path, const char *buf, size_t len, sd_err *err)
{
	struct stat st;
	sd_str tmp;
	int fd, rc = SD_OK;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return sd_err_set(err, SD_ERROR, "%s: %s, not a regular file: refusing to replace it",
				  path, file_kind(st.st_mode));
	sd_str_init(&tmp);
	if ((fd = open_temp(path, &tmp)) < 0) {
		rc = sd_err_set(err, SD_ERROR, "%s: cannot create a temporary file: %s", path,
				strerror(errno));
		goto out;
	}
	if (!write_all(fd, buf, len) || fsync(fd) != 0) {
		rc = sd_err_set(err, SD_ERROR, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp.ptr);
		goto out;
	}
	/* rename() replaces the directory entry itself: a symlink swapped in meanwhile is not followed. */
	if (close(fd) != 0 || rename(tmp.ptr, path) != 0) {
		rc = sd_err_set(err, SD_ERROR, "%s: %s", path, strerror(errno));
		unlink(tmp.ptr);
	}
out:
	sd_str_dispose(&tmp);
	return rc;
}
