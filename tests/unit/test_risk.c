/*
 * tests/unit/test_risk.c: the risk table, bands and type widening.
 *
 * Test organisation:
 *   risk__bands_*        score -> band boundaries
 *   risk__table_*        every rule well formed, DESIGN.md's examples in their bands
 *   risk__type_*         widening / narrowing classification
 *   risk__reasons_*      reasons accumulate, risk only rises
 */
#include "testutil.h"

#include <string.h>

static void
test_risk__bands_have_exact_boundaries(void **state)
{
	(void)state;
	assert_int_equal(sd_risk_band(0), SD_BAND_NONE);
	assert_int_equal(sd_risk_band(1), SD_BAND_LOW);
	assert_int_equal(sd_risk_band(20), SD_BAND_LOW);
	assert_int_equal(sd_risk_band(21), SD_BAND_MEDIUM);
	assert_int_equal(sd_risk_band(50), SD_BAND_MEDIUM);
	assert_int_equal(sd_risk_band(51), SD_BAND_HIGH);
	assert_int_equal(sd_risk_band(80), SD_BAND_HIGH);
	assert_int_equal(sd_risk_band(81), SD_BAND_CRITICAL);
	assert_int_equal(sd_risk_band(100), SD_BAND_CRITICAL);
	assert_string_equal(sd_band_name(SD_BAND_CRITICAL), "critical");
}

static void
test_risk__table_rules_are_well_formed(void **state)
{
	(void)state;
	for (const sd_risk_rule *r = sd_risk_rules; r->kind; r++) {
		assert_true(r->score >= 0 && r->score <= 100);
		assert_true(strlen(r->reason) > 5);
		assert_ptr_equal(sd_risk_rule_find(r->kind), r); /* unique kinds */
	}
	assert_null(sd_risk_rule_find("no.such_kind"));
}

static void
expect_band(const char *kind, sd_band band)
{
	const sd_risk_rule *r = sd_risk_rule_find(kind);

	assert_non_null(r);
	if (sd_risk_band(r->score) != band) {
		print_error("%s scores %d (%s)\n", kind, r->score, sd_band_name(sd_risk_band(r->score)));
		fail();
	}
}

static void
test_risk__table_matches_the_documented_bands(void **state)
{
	(void)state;
	/* DESIGN.md "Risk": one example row per band */
	expect_band("column.add", SD_BAND_LOW);
	/* compared on request: losing access breaks queries, gaining it does not */
	expect_band("privilege.revoke", SD_BAND_HIGH);
	expect_band("privilege.grant", SD_BAND_MEDIUM);
	expect_band("index.add", SD_BAND_LOW);
	expect_band("view.add", SD_BAND_LOW);
	expect_band("column.add_not_null", SD_BAND_MEDIUM);
	expect_band("column.type_widen", SD_BAND_MEDIUM);
	expect_band("column.default", SD_BAND_MEDIUM);
	expect_band("column.drop", SD_BAND_HIGH);
	expect_band("index.drop", SD_BAND_HIGH);
	expect_band("column.type_narrow", SD_BAND_HIGH);
	expect_band("column.set_not_null", SD_BAND_HIGH);
	expect_band("table.drop", SD_BAND_CRITICAL);
	expect_band("foreign_key.drop", SD_BAND_CRITICAL);
	expect_band("primary_key.drop", SD_BAND_CRITICAL);
	expect_band("primary_key.alter", SD_BAND_CRITICAL);
}

static void
test_risk__type_direction(void **state)
{
	(void)state;
	assert_int_equal(sd_risk_type_direction("varchar(10)", "varchar(20)"), 1);
	assert_int_equal(sd_risk_type_direction("varchar(20)", "varchar(10)"), -1);
	assert_int_equal(sd_risk_type_direction("character varying(5)", "text"), 1);
	assert_int_equal(sd_risk_type_direction("text", "varchar(255)"), -1);
	assert_int_equal(sd_risk_type_direction("integer", "bigint"), 1);
	assert_int_equal(sd_risk_type_direction("bigint", "int"), -1);
	assert_int_equal(sd_risk_type_direction("smallint", "int2"), 0);
	assert_int_equal(sd_risk_type_direction("numeric(10, 2)", "numeric(12, 2)"), 1);
	assert_int_equal(sd_risk_type_direction("numeric(10,2)", "numeric(12,4)"), 1);
	assert_int_equal(sd_risk_type_direction("numeric(12,2)", "numeric(10,2)"), -1);
	/* fewer integer digits but more scale: neither */
	assert_int_equal(sd_risk_type_direction("numeric(10,2)", "numeric(10,4)"), 0);
	assert_int_equal(sd_risk_type_direction("text", "integer"), 0);
	assert_int_equal(sd_risk_type_direction("varchar(x)", "varchar(10)"), 0);
	assert_int_equal(sd_risk_type_direction(NULL, "text"), 0);
}

static void
test_risk__reasons_accumulate_and_risk_only_rises(void **state)
{
	sd_change c = {0};

	(void)state;
	sd_change_add_reason(&c, 40, "a");
	sd_change_add_reason(&c, 10, "b");
	assert_int_equal(c.risk, 40);
	sd_change_add_reason(&c, 300, "c");
	assert_int_equal(c.risk, 100);
	sd_change_add_reason(&c, 1, "d");
	sd_change_add_reason(&c, 1, "e"); /* beyond SD_MAX_REASONS: kept out, no overflow */
	assert_int_equal(c.n_reasons, SD_MAX_REASONS);
	assert_string_equal(c.reasons[0], "a");
	assert_string_equal(c.reasons[3], "d");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_risk__bands_have_exact_boundaries),
		cmocka_unit_test(test_risk__table_rules_are_well_formed),
		cmocka_unit_test(test_risk__table_matches_the_documented_bands),
		cmocka_unit_test(test_risk__type_direction),
		cmocka_unit_test(test_risk__reasons_accumulate_and_risk_only_rises),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
