/*
 * util/sd_file.h: the one way schemad writes a file (`inspect -o` and any
 * later output). The content goes to a fresh temporary file beside the
 * target, created with O_EXCL (a symlink or file planted at its name is
 * never followed or reused), flushed to disk, then renamed over the
 * target: readers see the old file or the new one, never half of one.
 * A target that exists and is not a regular file (a symlink, FIFO, device,
 * socket or directory) is refused, never replaced.
 */
#ifndef SD_FILE_H
#define SD_FILE_H

#include "util/sd_util.h"

/* Returns SD_OK, or SD_ERROR with "PATH: reason" in err; nothing is left behind on failure. */
int sd_file_write_atomic(const char *path, const char *buf, size_t len, sd_err *err);

#endif
