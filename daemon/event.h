/*
 * daemon/event.h: alert event payloads (schemad.event, version 1).
 *
 * One JSON document per event, documented in docs/events.md; it is what a
 * webhook receives and what the Slack and command sinks are built from.
 */
#ifndef SD_EVENT_H
#define SD_EVENT_H

#include "daemon/pair.h"

#define SD_EVENT_FORMAT  "schemad.event"
#define SD_EVENT_VERSION 1

/*
 * Builds the payload of event type for check c (the previous fingerprint
 * may be ""). Returns a heap string the caller frees. Holds no password:
 * environment URLs are the redacted display form.
 */
char *sd_event_payload(const char *type, const sd_check *c, const sd_config *cfg,
		       const char *previous_fingerprint, const char *id);

#endif
