/*
 * diff/order.c: dependency order for objects that reference each other.
 *
 * Kahn's algorithm over the depends lists, picking the earliest ready
 * object in the given order each round, so the result is deterministic
 * and unchanged when nothing depends on anything. O(n^2) in the number of
 * objects being ordered (those a plan recreates), with an n*n edge bitmap.
 */
#include "diff/sd_diff.h"

#include <stdlib.h>
#include <string.h>

static bool
depends_on(const sd_object *a, const sd_object *b)
{
	for (size_t i = 0; i < a->n_depends; i++) {
		const char *dep = a->depends[i], *dot = strchr(dep, '.');
		if (dot && b->schema && strncmp(dep, b->schema, (size_t)(dot - dep)) == 0 &&
		    b->schema[dot - dep] == '\0' && strcmp(dot + 1, b->name) == 0)
			return true;
		if (!dot && strcmp(dep, b->name) == 0 && sd_streq(a->schema, b->schema))
			return true;
	}
	return false;
}

void
sd_order_by_depends(size_t *out, const sd_object *const *objs, size_t n)
{
	size_t *indeg = sd_xcalloc(n + 1, sizeof(size_t));
	bool *edge = sd_xcalloc(n * n + 1, sizeof(bool)); /* edge[i*n+j]: i needs j first */
	bool *placed = sd_xcalloc(n + 1, sizeof(bool));

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j && depends_on(objs[i], objs[j])) {
				edge[i * n + j] = true;
				indeg[i]++;
			}
	for (size_t done = 0; done < n; done++) {
		size_t pick = 0;
		while (pick < n && (placed[pick] || indeg[pick]))
			pick++;
		if (pick == n) /* a cycle: take the first unplaced one */
			for (pick = 0; placed[pick]; pick++)
				;
		placed[pick] = true;
		out[done] = pick;
		for (size_t i = 0; i < n; i++)
			if (edge[i * n + pick] && indeg[i])
				indeg[i]--;
	}
	free(indeg);
	free(edge);
	free(placed);
}
