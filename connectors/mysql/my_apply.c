/*
 * connectors/mysql/my_apply.c: running a plan on a live MySQL or MariaDB
 * database.
 *
 * DDL commits itself in MySQL and MariaDB: no transaction can hold a
 * plan. The statements run one by one on a writing session of our own
 * with the caller's lock_wait_timeout and statement time limit; the first
 * failure stops the run, and the report says which statements ran (they
 * stay) and which did not. The plan is recomputed from the live schema on
 * the next `schemad apply FROM TO`, so running it again finishes the job.
 *
 * The plan cmd_apply makes names, in each ALTER TABLE, the algorithm the
 * risk score assumed (sd_plan_opts.request_algorithm, my_plan.c): a server
 * that would copy the table refuses the statement instead.
 */
#include "connectors/mysql/my_internal.h"

#include <mysql.h>
#include <stdlib.h>
#include <string.h>

/* Runs one statement and drains its results: the connection must be idle after. */
static int
run_one(MYSQL *db, const sd_step *s, sd_err *err)
{
	if (mysql_real_query(db, s->sql, (unsigned long)s->len) != 0)
		return sd_err_set(err, mysql_errno(db) == 1205 ? SD_ETIMEOUT : SD_EQUERY, "%s",
		                  mysql_error(db));
	do {
		MYSQL_RES *res = mysql_store_result(db);
		mysql_free_result(res);
	} while (mysql_next_result(db) == 0);
	if (mysql_errno(db))
		return sd_err_set(err, SD_EQUERY, "%s", mysql_error(db));
	return SD_OK;
}

static int
run_steps(
        MYSQL *db, const sd_steps *steps, const sd_apply_opts *o, sd_apply_result *res, sd_err *err)
{
	int rc = SD_OK;

	for (size_t i = 0; i < steps->len && rc == SD_OK; i++) {
		char *sql = sd_steps_text(&steps->ptr[i]);
		if (o->on_start)
			o->on_start(o->ud, i + 1, steps->len, sql);
		if ((rc = run_one(db, &steps->ptr[i], err)))
			sd_err_prefix(err,
			              "statement %zu of %zu (%zu applied before it, which stay): ",
			              i + 1, steps->len, i);
		else
			res->n_applied++;
		if (o->on_end)
			o->on_end(o->ud, i + 1, steps->len, rc ? err->msg : NULL);
		free(sql);
	}
	return rc;
}

int
sd_my__apply(const sd_url *url,
             const char *plan,
             const sd_apply_opts *o,
             sd_apply_result *res,
             sd_err *err)
{
	sd_steps steps = {0};
	my_url u = {0};
	MYSQL *db = NULL;
	bool mariadb;
	int rc = SD_OK;

	*res = (sd_apply_result){0};
	sd_my__split(&steps, plan);
	res->n_steps = steps.len;
	if (o->dry_run || steps.len == 0) {
		for (size_t i = 0; i < steps.len && o->on_start; i++) {
			char *sql = sd_steps_text(&steps.ptr[i]);
			o->on_start(o->ud, i + 1, steps.len, sql);
			free(sql);
		}
		goto out;
	}
	if ((rc = sd_my__url_from(&u, url, &o->conn, true, err)) ||
	    (rc = sd_my__connect_writer(&db, &mariadb, &u, err)))
		goto out;
	rc = run_steps(db, &steps, o, res, err);
out:
	if (db)
		mysql_close(db);
	sd_my__url_dispose(&u);
	sd_vec_dispose(&steps);
	return rc;
}
