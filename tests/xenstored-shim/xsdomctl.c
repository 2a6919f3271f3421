/* SPDX-License-Identifier: ISC */
/*
 * xsdomctl.c: what a toolstack does to xenstored that one xenstore-write
 * cannot, for the tests, the bench and the demo. Talks to the daemon
 * named by XENSTORED_PATH.
 *
 *   xsdomctl introduce DOMID...      XS_INTRODUCE (fires @introduceDomain)
 *   xsdomctl release DOMID...        XS_RELEASE (fires @releaseDomain)
 *   xsdomctl storm PATH COUNT        COUNT writes to PATH on one connection
 *   xsdomctl populate FIRST COUNT KEYS
 *                                    domains FIRST.. with the keys xl
 *                                    writes, padded to KEYS entries each
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

static unsigned long
num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v > max) {
		fprintf(stderr, "xsdomctl: bad number %s\n", s);
		exit(2);
	}
	return v;
}

static int
put(struct xs_handle *h, const char *path, const char *val)
{
	if (xs_write(h, XBT_NULL, path, val, strlen(val)))
		return 0;
	fprintf(stderr, "xsdomctl: write %s: %s\n", path, strerror(errno));
	return 1;
}

static int
domains(struct xs_handle *h, bool intro, int argc, char **argv)
{
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		unsigned long id = num(argv[i], 0x7fef);
		/* mfn and port are fake: the shim maps an anonymous page. */
		bool ok = intro ? xs_introduce_domain(h, id, 0xfeffc, 1) :
		    xs_release_domain(h, id);

		if (!ok) {
			fprintf(stderr, "xsdomctl: %s %lu: %s\n", intro ?
			    "introduce" : "release", id, strerror(errno));
			rc = 1;
		}
	}
	return rc;
}

static int
storm(struct xs_handle *h, const char *path, unsigned long n)
{
	char val[32];

	for (unsigned long i = 0; i < n; i++) {
		snprintf(val, sizeof(val), "%lu", i);
		if (put(h, path, val) != 0)
			return 1;
	}
	return 0;
}

static int
populate(struct xs_handle *h, unsigned long first, unsigned long n,
    unsigned long keys)
{
	static const char *const fixed[][2] = {
		{ "memory/target", "1048576" }, { "memory/static-max", "2097152" },
		{ "control/feature-poweroff", "1" }, { "control/feature-reboot", "1" },
		{ "attr/PVAddons/MajorVersion", "8" },
		{ "attr/PVAddons/MinorVersion", "2" },
		{ "attr/PVAddons/MicroVersion", "1" }, { "data/updated", "1" },
		{ "device/vif/0/state", "4" }, { "device/vbd/768/state", "4" },
	};
	char p[128], v[128];
	unsigned long nf = sizeof(fixed) / sizeof(fixed[0]);

	for (unsigned long d = first; d < first + n; d++) {
		snprintf(p, sizeof(p), "/local/domain/%lu/name", d);
		snprintf(v, sizeof(v), "vm-%lu", d);
		if (put(h, p, v) != 0)
			return 1;
		snprintf(p, sizeof(p), "/local/domain/%lu/vm", d);
		snprintf(v, sizeof(v), "/vm/%08lx-0000-4000-8000-000000000000", d);
		put(h, p, v);
		for (unsigned long k = 0; k < nf; k++) {
			snprintf(p, sizeof(p), "/local/domain/%lu/%s", d, fixed[k][0]);
			put(h, p, fixed[k][1]);
		}
		for (unsigned long k = nf + 2; k < keys; k++) {
			snprintf(p, sizeof(p), "/local/domain/%lu/data/k%lu", d, k);
			put(h, p, "x");
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct xs_handle *h;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: xsdomctl introduce|release DOMID... | "
		    "storm PATH COUNT | populate FIRST COUNT KEYS\n");
		return 2;
	}
	if ((h = xs_open(0)) == NULL) {
		perror("xsdomctl: xs_open");
		return 1;
	}
	if (strcmp(argv[1], "introduce") == 0 || strcmp(argv[1], "release") == 0)
		rc = domains(h, argv[1][0] == 'i', argc - 2, argv + 2);
	else if (strcmp(argv[1], "storm") == 0 && argc == 4)
		rc = storm(h, argv[2], num(argv[3], 100000000));
	else if (strcmp(argv[1], "populate") == 0 && argc == 5)
		rc = populate(h, num(argv[2], 0x7fef), num(argv[3], 0x7fef),
		    num(argv[4], 100000));
	else {
		fprintf(stderr, "xsdomctl: bad arguments\n");
		rc = 2;
	}
	xs_close(h);
	return rc;
}
