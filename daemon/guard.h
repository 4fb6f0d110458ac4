/*
 * daemon/guard.h: what `schemad run` checks before it touches its state
 * store: no other daemon uses it, and it is not damaged.
 */
#ifndef SD_GUARD_H
#define SD_GUARD_H

#include "util/sd_util.h"

/*
 * Takes an exclusive lock on PATH.lock (flock, held until the process
 * exits: the kernel releases it even after SIGKILL) and writes our pid in
 * it. When another process holds it, SD_ERROR naming the store and that
 * pid. *fd_out is the lock's descriptor, to keep open.
 */
int sd_guard_lock(int *fd_out, const char *state_path, sd_err *err);

/*
 * Checks an existing store read-only (PRAGMA quick_check), before anything
 * writes to it. A damaged store gives SD_ERROR with the first problem and
 * is left exactly as it was. A missing store is fine (it is created).
 */
int sd_guard_check(const char *state_path, sd_err *err);

#endif
