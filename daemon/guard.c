/*
 * daemon/guard.c: one daemon per state store, and never on a damaged one
 * (see guard.h). Two daemons on one store both ran every check and sent
 * every alert twice; a store with damaged pages was accepted, and the
 * daemon stayed up recording nothing and alerting never.
 */
#include "daemon/guard.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int
sd_guard_lock(int *fd_out, const char *state_path, sd_err *err)
{
	char lock[4096], pid[32] = "";
	int fd;
	ssize_t n;

	*fd_out = -1;
	if (snprintf(lock, sizeof(lock), "%s.lock", state_path) >= (int)sizeof(lock))
		return sd_err_set(err, SD_ERROR, "%s: path too long", state_path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return sd_err_set(err, SD_ERROR, "%s: %s", lock, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		n = read(fd, pid, sizeof(pid) - 1);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		if (e == EWOULDBLOCK)
			return sd_err_set(err, SD_ERROR,
					  "state store %s is in use by another schemad (pid %s): one "
					  "daemon per store",
					  state_path, *pid ? pid : "?");
		return sd_err_set(err, SD_ERROR, "%s: %s", lock, strerror(e));
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		int e = errno;
		close(fd);
		return sd_err_set(err, SD_ERROR, "%s: %s", lock, strerror(e));
	}
	*fd_out = fd;
	return SD_OK;
}

/* quick_check's first problem on one line: "*** in database main ***\nOn tree page 6..." */
static const char *
one_line(const char *verdict)
{
	static const char banner[] = "*** in database main ***";
	static __thread char buf[256];

	if (!verdict)
		return "?";
	if (strncmp(verdict, banner, sizeof(banner) - 1) == 0)
		verdict += sizeof(banner) - 1;
	verdict += strspn(verdict, "\n ");
	snprintf(buf, sizeof(buf), "%s", verdict);
	for (char *c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	return buf;
}

int
sd_guard_check(const char *state_path, sd_err *err)
{
	struct stat st;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int rc = SD_OK, src;

	if (stat(state_path, &st) != 0 && errno == ENOENT)
		return SD_OK;
	/* Read-only: a damaged store is reported, never repaired or overwritten. */
	src = sqlite3_open_v2(state_path, &db, SQLITE_OPEN_READONLY, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &q, NULL);
	if (src == SQLITE_OK) {
		src = sqlite3_step(q);
		if (src == SQLITE_ROW) {
			const char *verdict = (const char *)sqlite3_column_text(q, 0);
			if (!verdict || strcmp(verdict, "ok") != 0)
				rc = sd_err_set(err, SD_ERROR,
						"state store %s is damaged (%s): left as it is; restore "
						"a backup or move it aside",
						state_path, one_line(verdict));
		} else if (src != SQLITE_DONE) {
			rc = sd_err_set(err, SD_ERROR,
					"state store %s is damaged (%s): left as it is; restore a "
					"backup or move it aside",
					state_path, sqlite3_errmsg(db));
		}
	} else {
		rc = sd_err_set(err, SD_ERROR,
				"state store %s cannot be read (%s): left as it is; restore a backup "
				"or move it aside",
				state_path, db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return rc;
}
