/*
 * daemon/textdiff.c: a short unified diff of two definitions, for reports.
 *
 * Definitions are a few to a few hundred lines, so the classic longest
 * common subsequence table (n x m) is small; past SD_TEXTDIFF_MAX_CELLS
 * the texts are shown as one removed and one added block instead. Hunks
 * carry the usual "@@ -l,n +l,n @@" headers and two lines of context.
 */
#include "daemon/textdiff.h"

#include <stdlib.h>
#include <string.h>

#define CONTEXT               2
#define SD_TEXTDIFF_MAX_CELLS (4u << 20)

typedef struct lines {
	const char **at; /* start of each line */
	size_t *len;     /* its length without the line break */
	size_t n;
} lines;

static void
split(lines *l, const char *text)
{
	size_t cap = 1;

	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	l->at = sd_xmalloc(cap * sizeof(*l->at));
	l->len = sd_xmalloc(cap * sizeof(*l->len));
	l->n = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		l->at[l->n] = text;
		l->len[l->n++] = n;
		text += n + (nl != NULL);
	}
}

static bool
line_eq(const lines *a, size_t i, const lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

/*
 * The edit script: ops[k] is ' ' (both), '-' (a only) or '+' (b only), in
 * order. Returns its length; the caller frees *ops.
 */
static size_t
edit_script(const lines *a, const lines *b, char **ops)
{
	size_t n = a->n, m = b->n, k = 0, i = 0, j = 0;
	unsigned *lcs = NULL;

	*ops = sd_xmalloc(n + m + 1);
	if ((n + 1) * (m + 1) <= SD_TEXTDIFF_MAX_CELLS) {
		/* lcs[i][j]: longest common subsequence of a[i..] and b[j..] */
		lcs = sd_xcalloc((n + 1) * (m + 1), sizeof(*lcs));
		for (size_t x = n; x-- > 0;)
			for (size_t y = m; y-- > 0;)
				lcs[x * (m + 1) + y] =
				        line_eq(a, x, b, y) ? lcs[(x + 1) * (m + 1) + y + 1] + 1
				        : lcs[(x + 1) * (m + 1) + y] > lcs[x * (m + 1) + y + 1]
				                ? lcs[(x + 1) * (m + 1) + y]
				                : lcs[x * (m + 1) + y + 1];
	}
	while (i < n || j < m) {
		if (lcs && i < n && j < m && line_eq(a, i, b, j)) {
			(*ops)[k++] = ' ';
			i++, j++;
		} else if (i < n && (j == m || !lcs ||
		                     lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
			(*ops)[k++] = '-';
			i++;
		} else {
			(*ops)[k++] = '+';
			j++;
		}
	}
	free(lcs);
	return k;
}

static void
put_line(sd_str *out, const char *indent, char op, const lines *l, size_t i)
{
	sd_str_appendf(out, "%s%c", indent, op);
	/* A carriage return or tab would garble a terminal or a Markdown fence: keep them visible.
	 */
	for (size_t c = 0; c < l->len[i]; c++) {
		char ch = l->at[i][c];
		sd_str_appendc(out, ch == '\r' ? ' ' : ch);
	}
	sd_str_appendc(out, '\n');
}

size_t
sd_textdiff(
        sd_str *out, const char *before, const char *after, const char *indent, size_t max_lines)
{
	lines a, b;
	char *ops;
	size_t n_ops, written = 0, omitted = 0;
	size_t ia = 0, ib = 0; /* line numbers before ops[k] */

	split(&a, before ? before : "");
	split(&b, after ? after : "");
	n_ops = edit_script(&a, &b, &ops);
	for (size_t k = 0; k < n_ops;) {
		size_t start, end, last, la, lb, na = 0, nb = 0;
		/* next change */
		while (k < n_ops && ops[k] == ' ')
			k++, ia++, ib++;
		if (k == n_ops)
			break;
		/* A hunk runs from CONTEXT lines before a change to CONTEXT lines after
		 * the last change that follows within 2 * CONTEXT equal lines. */
		start = k > CONTEXT ? k - CONTEXT : 0;
		last = k;
		for (size_t t = k + 1; t < n_ops && t - last <= 2 * CONTEXT; t++)
			if (ops[t] != ' ')
				last = t;
		end = last + 1 + CONTEXT < n_ops ? last + 1 + CONTEXT : n_ops;
		la = ia - (k - start);
		lb = ib - (k - start);
		for (size_t t = start; t < end; t++) {
			na += ops[t] != '+';
			nb += ops[t] != '-';
		}
		if (written + 1 + (end - start) > max_lines) {
			for (size_t t = k; t < n_ops; t++)
				omitted += ops[t] != ' ';
			break;
		}
		sd_str_appendf(out, "%s@@ -%zu,%zu +%zu,%zu @@\n", indent, la + 1, na, lb + 1, nb);
		written++;
		for (size_t t = start, x = la, y = lb; t < end; t++) {
			put_line(out, indent, ops[t], ops[t] == '+' ? &b : &a,
			         ops[t] == '+' ? y : x);
			x += ops[t] != '+';
			y += ops[t] != '-';
			written++;
		}
		for (; k < end; k++) {
			ia += ops[k] != '+';
			ib += ops[k] != '-';
		}
	}
	if (omitted)
		sd_str_appendf(out, "%s... %zu more changed line%s\n", indent, omitted,
		               omitted == 1 ? "" : "s");
	free(ops);
	free(a.at);
	free(a.len);
	free(b.at);
	free(b.len);
	return written;
}
