/* test_supplies: the supplies module's pure rules — which lots an issue takes (earliest expiry
 * first, a lot without expiry last, exact and partial lots, empty lots skipped, more than
 * there is refused), the days stock lasts at the last 7 days' use, when stock is low (by the
 * item's threshold, else by days left under the policy's days), and a move's checks (negative
 * and zero quantities, a count of zero, the fields each kind needs). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "supplies/internal.h"

static void lot(struct sp_lot *l, const char *name, const char *expiry, double qty)
{
	snprintf(l->lot, sizeof(l->lot), "%s", name);
	snprintf(l->expiry, sizeof(l->expiry), "%s", expiry);
	l->qty = qty;
}

static void test_fefo_order(void **state)
{
	struct sp_lot lots[4];
	struct sp_take take[4];

	(void)state;
	lot(&lots[0], "none", "", 100);
	lot(&lots[1], "late", "2027-05-01", 10);
	lot(&lots[2], "early", "2026-12-31", 5);
	lot(&lots[3], "mid", "2027-01-10", 3);
	assert_int_equal(sp_fefo(lots, 4, 12, take), 3);
	assert_string_equal(lots[take[0].lot].lot, "early");
	assert_true(take[0].qty == 5);
	assert_string_equal(lots[take[1].lot].lot, "mid");
	assert_true(take[1].qty == 3);
	assert_string_equal(lots[take[2].lot].lot, "late");
	assert_true(take[2].qty == 4);
	/* the lot with no expiry is taken last */
	assert_int_equal(sp_fefo(lots, 4, 20, take), 4);
	assert_string_equal(lots[take[3].lot].lot, "none");
	assert_true(take[3].qty == 2);
}

static void test_fefo_edges(void **state)
{
	struct sp_lot lots[3];
	struct sp_take take[3];

	(void)state;
	lot(&lots[0], "b", "2027-01-01", 4);
	lot(&lots[1], "a", "2027-01-01", 0); /* empty: skipped */
	lot(&lots[2], "c", "2027-01-01", 6);
	assert_int_equal(sp_fefo(lots, 3, 4, take), 1); /* a lot taken whole, same day: by lot */
	assert_string_equal(lots[take[0].lot].lot, "b");
	assert_true(take[0].qty == 4);
	assert_int_equal(sp_fefo(lots, 3, 10, take), 2);
	assert_int_equal(sp_fefo(lots, 3, 10.5, take), -1);
	assert_int_equal(sp_fefo(lots, 0, 1, take), -1);
	lot(&lots[0], "x", "", 0.1);
	lot(&lots[1], "y", "", 0.2);
	assert_int_equal(sp_fefo(lots, 2, 0.3, take), 2); /* decimals that do not sum exactly */
}

static void test_days_left(void **state)
{
	(void)state;
	assert_true(sp_days_left(100, 0) < 0); /* nothing used: it lasts */
	assert_true(sp_days_left(70, 70) == 7);
	assert_true(sp_days_left(0, 70) == 0);
	assert_true(sp_days_left(-1, 70) == 0);
	assert_true(sp_days_left(20, 80) == 1.75);
}

static void test_cst_day(void **state)
{
	(void)state;
	assert_int_equal(sp_cst_day(0), 0);
	assert_int_equal(sp_cst_day(16 * 3600 * 1000LL - 1), 0); /* 23:59:59.999 in Beijing */
	assert_int_equal(sp_cst_day(16 * 3600 * 1000LL), 1);	 /* midnight in Beijing */
	assert_int_equal(sp_cst_day(-8 * 3600 * 1000LL - 1), -1);
}

static void test_low(void **state)
{
	const char *by;

	(void)state;
	assert_true(sp_low(5, 5, -1, 3, &by));
	assert_string_equal(by, "threshold");
	assert_false(sp_low(6, 5, -1, 3, &by));
	assert_null(by);
	assert_true(sp_low(20, 0, 1.75, 3, &by));
	assert_string_equal(by, "days_left");
	assert_false(sp_low(20, 0, 3, 3, &by)); /* exactly the policy's days is not under it */
	assert_true(sp_low(2, 5, 1, 3, &by));
	assert_string_equal(by, "threshold");	/* both: the threshold is named */
	assert_false(sp_low(0, 0, -1, 3, &by)); /* no threshold, nothing used */
}

static struct sp_move_req req(const char *kind, double qty)
{
	return (struct sp_move_req){.kind = kind, .place_id = 1, .item_id = 2, .qty = qty};
}

static void test_move_check(void **state)
{
	struct fk_err err;
	struct sp_move_req m = req("issue", -1);

	(void)state;
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	assert_string_equal(err.field, "qty");
	assert_string_equal(err.key, "negative_qty");
	m = req("issue", 0);
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	m = req("issue", 3);
	assert_int_equal(sp_move_check(&m, &err), 0);
	m = req("adjust", 0);
	m.reason = "counted"; /* a count may find none */
	assert_int_equal(sp_move_check(&m, &err), 0);
	m.reason = "stolen";
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	assert_string_equal(err.field, "reason");
	m = req("receive", 1);
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	assert_string_equal(err.field, "source");
	m.source = "purchase";
	m.expiry = "2027-13-01";
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	assert_string_equal(err.field, "expiry");
	m = req("transfer", 1);
	m.to_place_id = 1;
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	assert_string_equal(err.field, "to_place_id");
	m = req("sell", 1);
	assert_int_equal(sp_move_check(&m, &err), FK_EINVAL);
	assert_string_equal(err.field, "kind");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fefo_order), cmocka_unit_test(test_fefo_edges),
	    cmocka_unit_test(test_days_left),  cmocka_unit_test(test_cst_day),
	    cmocka_unit_test(test_low),	       cmocka_unit_test(test_move_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
