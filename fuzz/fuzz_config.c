/*
 * fuzz/fuzz_config.c: the YAML configuration loader. Every input either
 * loads or fails with errors, each line of which names the file (the
 * file:line:col contract); nothing crashes, nothing leaks.
 */
#include "config/sd_config.h"
#include "daemon/pair.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	sd_config *cfg = NULL;
	sd_str errors, warnings;
	FILE *f;

	/* The loader reads a path: one file per process, rewritten each run. */
	if (!*path)
		snprintf(path, sizeof(path), "/tmp/sd_fuzz_config.%ld.yml", (long)getpid());
	if (!(f = fopen(path, "wb")))
		abort();
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	sd_str_init(&errors);
	sd_str_init(&warnings);
	if (sd_cfg_load(&cfg, path, &sd_cfg_registry, &errors, &warnings) == SD_OK) {
		sd_cfg_free(cfg);
	} else {
		/* every error line starts with the file's name */
		for (const char *line = errors.ptr; *line;) {
			const char *nl = strchr(line, '\n');
			if (strncmp(line, path, strlen(path)) != 0)
				abort();
			if (!nl)
				break;
			line = nl + 1;
		}
		if (!errors.len)
			abort(); /* a failure says why */
	}
	sd_str_dispose(&errors);
	sd_str_dispose(&warnings);
	return 0;
}
