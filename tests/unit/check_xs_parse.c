/* SPDX-License-Identifier: ISC */
/* check_xs_parse.c: xenstore numbers, uuids, paths and one domain's facts. */
#include <check.h>

#include "ck_run.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xs_domain.h"
#include "xs_parse.h"

static int
u64(const char *s, uint64_t max, uint64_t *out)
{
	return xsm_xs_parse_u64(s, strlen(s), max, out);
}

START_TEST(test_numbers)
{
	uint64_t v = 7;

	ck_assert_int_eq(u64("0", 10, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(u64("1048576", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 1048576);
	ck_assert_int_eq(u64("18446744073709551615", UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(u64("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(u64("99999999999999999999999", UINT64_MAX, &v), -ERANGE);
	ck_assert_int_eq(u64("9999999999999999999999x", UINT64_MAX, &v), -EINVAL);
	ck_assert_int_eq(u64("11", 10, &v), -ERANGE);
	v = 7;
	ck_assert_int_eq(u64("", 10, &v), -EINVAL);
	ck_assert_int_eq(u64("-1", 10, &v), -EINVAL);
	ck_assert_int_eq(u64("+1", 10, &v), -EINVAL);
	ck_assert_int_eq(u64(" 1", 10, &v), -EINVAL);
	ck_assert_int_eq(u64("1 ", 10, &v), -EINVAL);
	ck_assert_int_eq(u64("01", 10, &v), -EINVAL);
	ck_assert_int_eq(u64("0x1", 10, &v), -EINVAL);
	ck_assert_uint_eq(v, 7);  /* untouched on error */
	/* Length-bounded: no NUL needed. */
	ck_assert_int_eq(xsm_xs_parse_u64("12345", 2, 100, &v), 0);
	ck_assert_uint_eq(v, 12);
}
END_TEST

START_TEST(test_domids)
{
	uint32_t d;

	ck_assert_int_eq(xsm_xs_parse_domid("32751", 5, &d), 0);
	ck_assert_uint_eq(d, 32751);
	ck_assert_int_eq(xsm_xs_parse_domid("32752", 5, &d), -ERANGE);
	ck_assert_int_eq(xsm_xs_parse_domid("4294967301", 10, &d), -ERANGE);
	ck_assert_int_eq(xsm_xs_parse_domid("5a", 2, &d), -EINVAL);
}
END_TEST

START_TEST(test_uuids)
{
	char u[XSM_XS_UUID_LEN + 1];
	const char *vm = "/vm/0B4E5D1C-aaaa-4bbb-8ccc-0123456789AB";

	ck_assert_int_eq(xsm_xs_parse_uuid(vm, strlen(vm), u), 0);
	ck_assert_str_eq(u, "0b4e5d1c-aaaa-4bbb-8ccc-0123456789ab");
	ck_assert_int_eq(xsm_xs_parse_uuid(vm + 4, strlen(vm + 4), u), 0);
	ck_assert_int_eq(xsm_xs_parse_uuid("/vm/0b4e5d1c-aaaa-4bbb-8ccc-0123456789a",
	    39, u), -EINVAL);
	ck_assert_int_eq(xsm_xs_parse_uuid("/vm/0b4e5d1c_aaaa-4bbb-8ccc-0123456789ab",
	    40, u), -EINVAL);
	ck_assert_int_eq(xsm_xs_parse_uuid("/vx/0b4e5d1c-aaaa-4bbb-8ccc-0123456789ab",
	    40, u), -EINVAL);
	ck_assert_int_eq(xsm_xs_parse_uuid("0b4e5d1c-aaaa-4bbb-8ccc-0123456789ag",
	    36, u), -EINVAL);
}
END_TEST

START_TEST(test_paths)
{
	const char *rest;
	uint32_t d, b, f, dev;
	char kind[16];

	ck_assert_int_eq(xsm_xs_domain_path("/local/domain/12/memory/target",
	    &d, &rest), 0);
	ck_assert_uint_eq(d, 12);
	ck_assert_str_eq(rest, "memory/target");
	ck_assert_int_eq(xsm_xs_domain_path("/local/domain/12", &d, &rest), 0);
	ck_assert_str_eq(rest, "");
	ck_assert_int_eq(xsm_xs_domain_path("/local/domain/12/", &d, &rest), -EINVAL);
	ck_assert_int_eq(xsm_xs_domain_path("/local/domain/012", &d, &rest), -EINVAL);
	ck_assert_int_eq(xsm_xs_domain_path("/local/domain/99999", &d, &rest), -EINVAL);
	ck_assert_int_eq(xsm_xs_domain_path("/local/domainx/1", &d, &rest), -EINVAL);

	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/0/backend/vif/5/1",
	    &b, kind, sizeof(kind), &f, &dev), 0);
	ck_assert_uint_eq(b, 0);
	ck_assert_str_eq(kind, "vif");
	ck_assert_uint_eq(f, 5);
	ck_assert_uint_eq(dev, 1);
	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/3/backend/vbd/7/51712/state",
	    &b, kind, sizeof(kind), &f, &dev), 0);
	ck_assert_uint_eq(b, 3);
	ck_assert_uint_eq(dev, 51712);
	ck_assert_int_eq(xsm_xs_backend_path("backend/qdisk/7/768", NULL, kind,
	    sizeof(kind), &f, &dev), 0);
	ck_assert_str_eq(kind, "qdisk");
	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/0/backend/vif/5",
	    &b, kind, sizeof(kind), &f, &dev), -EINVAL);
	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/0/backend/VIF/5/0",
	    &b, kind, sizeof(kind), &f, &dev), -EINVAL);
	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/0/backend/vif/5/0/",
	    &b, kind, sizeof(kind), &f, &dev), -EINVAL);
	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/0/backend/vif/5/4294967296",
	    &b, kind, sizeof(kind), &f, &dev), -EINVAL);
	ck_assert_int_eq(xsm_xs_backend_path("/local/domain/0/backend/averyveryverylongkind/5/0",
	    &b, kind, sizeof(kind), &f, &dev), -EINVAL);
}
END_TEST

START_TEST(test_classify)
{
	uint32_t d = 99;

	ck_assert_int_eq(xsm_xs_classify("@introduceDomain", &d), XSM_XS_EV_RESCAN);
	ck_assert_int_eq(xsm_xs_classify("@releaseDomain", &d), XSM_XS_EV_RESCAN);
	ck_assert_int_eq(xsm_xs_classify("/local/domain", &d), XSM_XS_EV_RESCAN);
	ck_assert_int_eq(xsm_xs_classify("/local/domain/junk", &d), XSM_XS_EV_RESCAN);
	ck_assert_int_eq(xsm_xs_classify("/local/domain/7/name", &d), XSM_XS_EV_DOMAIN);
	ck_assert_uint_eq(d, 7);
	ck_assert_int_eq(xsm_xs_classify("/local/domain/7", &d), XSM_XS_EV_DOMAIN);
	ck_assert_int_eq(xsm_xs_classify("/local/domain/0/backend/vbd/9/768/state",
	    &d), XSM_XS_EV_DOMAIN);
	ck_assert_uint_eq(d, 9);
	ck_assert_int_eq(xsm_xs_classify("/local/domain/0/backend", &d), XSM_XS_EV_DOMAIN);
	ck_assert_uint_eq(d, 0);
	ck_assert_int_eq(xsm_xs_classify("/vm/x", &d), XSM_XS_EV_IGNORE);
}
END_TEST

START_TEST(test_state_names)
{
	ck_assert_str_eq(xsm_xs_state_name(4), "Connected");
	ck_assert_str_eq(xsm_xs_state_name(0), "Unknown");
	ck_assert_str_eq(xsm_xs_state_name(8), "Reconfigured");
	ck_assert_str_eq(xsm_xs_state_name(9), "invalid");
	ck_assert_str_eq(xsm_xs_state_name(-1), "invalid");
}
END_TEST

static int
set(struct xsm_xs_facts *f, const char *k, const char *v)
{
	return xsm_xs_facts_set(f, k, v, strlen(v));
}

START_TEST(test_facts)
{
	struct xsm_xs_facts f;

	xsm_xs_facts_init(&f, 5);
	ck_assert_int_eq(f.target_kib, -1);
	ck_assert_int_eq(set(&f, "name", "web-01"), 0);
	ck_assert_str_eq(f.name, "web-01");
	ck_assert_int_eq(set(&f, "vm", "/vm/0b4e5d1c-aaaa-4bbb-8ccc-0123456789ab"), 0);
	ck_assert_str_eq(f.uuid, "0b4e5d1c-aaaa-4bbb-8ccc-0123456789ab");
	ck_assert_int_eq(set(&f, "memory/target", "1048576"), 0);
	ck_assert_int_eq(f.target_kib, 1048576);
	ck_assert_int_eq(set(&f, "memory/static-max", "2097152"), 0);
	ck_assert_int_eq(f.static_max_kib, 2097152);
	ck_assert_int_eq(set(&f, "attr/PVAddons/MajorVersion", "8"), 0);
	ck_assert_int_eq(set(&f, "attr/PVAddons/BuildVersion", "1234"), 0);
	ck_assert_int_eq(f.pv_ver[0], 8);
	ck_assert_int_eq(f.pv_ver[3], 1234);
	ck_assert_int_eq(set(&f, "data/updated", "Sun Nov 22"), 0);
	ck_assert(f.data_updated);
	ck_assert_int_eq(set(&f, "control/feature-reboot", "1"), 0);
	ck_assert_int_eq(set(&f, "control/feature-s3", "0"), 0);
	ck_assert_int_eq(set(&f, "control/feature-frobnicate", "1"), -ENOENT);
	ck_assert_uint_eq(f.features, XSM_XS_FEAT_REBOOT);
	ck_assert_int_eq(set(&f, "device/vif/0/state", "4"), 0);
	ck_assert_int_eq(set(&f, "device/vif/0/backend-state", "3"), 0);
	ck_assert_int_eq(set(&f, "device/vbd/51712/state", "1"), 0);
	ck_assert_uint_eq(f.n_dev, 2);
	ck_assert_str_eq(f.dev[0].kind, "vif");
	ck_assert_int_eq(f.dev[0].state, 4);
	ck_assert_int_eq(f.dev[0].bstate, 3);
	ck_assert_uint_eq(f.dev[1].devid, 51712);
	ck_assert_int_eq(f.dev[1].bstate, -1);
	ck_assert_int_eq(set(&f, "device/vif/0/mac", "00:16:3e"), -ENOENT);
	ck_assert_int_eq(set(&f, "unknown", "1"), -ENOENT);
	ck_assert_uint_eq(f.bad_values, 0);
}
END_TEST

/* Guest-written garbage leaves fields unknown and is counted. */
START_TEST(test_facts_hostile)
{
	struct xsm_xs_facts f;
	char key[64], longname[200];

	xsm_xs_facts_init(&f, 5);
	ck_assert_int_eq(set(&f, "memory/target", "99999999999999999999999"), -EINVAL);
	ck_assert_int_eq(set(&f, "memory/target", "-5"), -EINVAL);
	ck_assert_int_eq(set(&f, "memory/target", "2251799813685248"), -EINVAL);
	ck_assert_int_eq(f.target_kib, -1);
	ck_assert_int_eq(set(&f, "attr/PVAddons/MajorVersion", "2147483648"), -EINVAL);
	ck_assert_int_eq(f.pv_ver[0], -1);
	ck_assert_int_eq(set(&f, "name", "bad\033[2Jname"), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_eq(set(&f, "name", longname), -EINVAL);
	ck_assert_int_eq(set(&f, "name", ""), -EINVAL);
	ck_assert_str_eq(f.name, "");
	ck_assert_int_eq(set(&f, "vm", "/vm/not-a-uuid"), -EINVAL);
	ck_assert_int_eq(set(&f, "device/vif/0/state", "9"), -EINVAL);
	ck_assert_int_eq(set(&f, "control/feature-reboot", "yes"), -EINVAL);
	ck_assert_uint_eq(f.bad_values, 10);
	/* Length-bounded values with embedded NULs. */
	ck_assert_int_eq(xsm_xs_facts_set(&f, "memory/target", "12\0" "3", 4), -EINVAL);
	/* The device list is capped. */
	for (int i = 0; i < XSM_XS_DEV_MAX + 5; i++) {
		snprintf(key, sizeof(key), "device/vbd/%d/state", i);
		ck_assert_int_eq(set(&f, key, "4"), 0);
	}
	ck_assert_uint_eq(f.n_dev, XSM_XS_DEV_MAX);
	ck_assert(f.dev_truncated);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("xs_parse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_domids);
	tcase_add_test(tc, test_uuids);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_state_names);
	tcase_add_test(tc, test_facts);
	tcase_add_test(tc, test_facts_hostile);
	suite_add_tcase(s, tc);
	return ck_run(s);
}
