/*
 * connectors/scratch.c: scratch-database names, URL rewriting, and the
 * interrupt handling that lets a dump load be cancelled and cleaned up.
 */
#include "connectors/sd_scratch.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 4

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	sd_scratch_cancel_fn fn;
	void *arg;
} slots[SLOTS];
static int active;
static volatile sig_atomic_t interrupted;
static struct sigaction old_int, old_term;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].fn)
			slots[i].fn(slots[i].arg);
}

void
sd_scratch_name(char out[64])
{
	static unsigned int seq;
	struct timespec ts;
	unsigned int mix;

	clock_gettime(CLOCK_REALTIME, &ts);
	pthread_mutex_lock(&mu);
	mix = (unsigned int)ts.tv_nsec ^ (unsigned int)(ts.tv_sec << 8) ^ (++seq * 2654435761u);
	pthread_mutex_unlock(&mu);
	snprintf(out, 64, "schemad_scratch_%ld_%08x", (long)getpid(), mix);
}

int
sd_scratch_enter(sd_scratch_cancel_fn cancel, void *arg)
{
	int slot = -1;

	pthread_mutex_lock(&mu);
	if (active++ == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
	}
	for (int i = 0; i < SLOTS && slot < 0; i++)
		if (!slots[i].fn) {
			slots[i].arg = arg;
			slots[i].fn = cancel; /* set last: the handler reads fn first */
			slot = i;
		}
	pthread_mutex_unlock(&mu);
	return slot;
}

void
sd_scratch_leave(int slot)
{
	pthread_mutex_lock(&mu);
	if (slot >= 0 && slot < SLOTS) {
		slots[slot].fn = NULL;
		slots[slot].arg = NULL;
	}
	if (--active == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	pthread_mutex_unlock(&mu);
}

bool
sd_scratch_interrupted(void)
{
	return interrupted != 0;
}

int
sd_text_line(const char *text, const char *pos)
{
	int line = 1;

	for (const char *p = text; p < pos && *p; p++)
		line += *p == '\n';
	return line;
}
