#include "lib/util/setup.h"

/*
 * rpm database readers against ground truth: go-rpmdb's packages.csv
 * (rpm -qa inside the images the databases came from), *.rpm-qa.csv
 * written by the real rpm 4.18 (tests/data/pkgdb/rpm/make-groundtruth.sh),
 * and, when rpm is installed, a live differential run of rpm on the same
 * files. Then hostile input: truncation, bit flips, crafted headers,
 * cycles, crafted sqlite files.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"

#define SEP "\xc2\xb6" /* the pilcrow separating rpm -qa columns */

enum {
	C_EPOCH,
	C_NAME,
	C_VERSION,
	C_RELEASE,
	C_ARCH,
	C_SRPM,
	C_SIZE,
	C_LICENSE,
	C_NCOLS = 11
};

struct row {
	char *f[C_NCOLS];
};

static char *data_path(const char *rel)
{
	const char *d = getenv("DRYDOCK_TEST_DATA");
	struct drydock_buf b = DRYDOCK_BUF_INIT(8192);

	assert_non_null(d);
	assert_int_equal(drydock_buf_printf(&b, "%s/pkgdb/rpm/%s", d, rel), 0);
	return drydock_buf_detach(&b, NULL);
}

/* The whole file in a malloc'ed block of exactly its size (so ASan sees
 * any read past the end). */
static uint8_t *slurp(const char *rel, size_t *len)
{
	struct drydock_buf b = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
	struct drydock_err err;
	char *path = data_path(rel);
	uint8_t *out;

	drydock_err_clear(&err);
	assert_int_equal(drydock_buf_read_file(&b, path, &err), 0);
	free(path);
	*len = b.len;
	out = malloc(b.len ? b.len : 1);
	assert_non_null(out);
	memcpy(out, b.ptr, b.len);
	drydock_buf_release(&b);
	return out;
}

static size_t parse_csv(char *text, struct row **rows)
{
	size_t n = 0, cap = 0;
	char *line = text, *nl;

	*rows = NULL;
	for (; *line; line = nl + 1) {
		struct row r;
		char *p = line;
		int i;

		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		for (i = 0; i < C_NCOLS; i++) {
			char *s = strstr(p, SEP);

			r.f[i] = p;
			if (i < C_NCOLS - 1) {
				assert_non_null(s);
				*s = '\0';
				p = s + strlen(SEP);
			}
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*rows = realloc(*rows, cap * sizeof(**rows));
			assert_non_null(*rows);
		}
		(*rows)[n++] = r;
	}
	return n;
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c, i;
	static const int keys[] = {C_NAME, C_VERSION, C_RELEASE, C_ARCH};

	for (i = 0; i < 4; i++)
		if ((c = strcmp(x->f[keys[i]], y->f[keys[i]])) != 0)
			return c;
	return 0;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int cmp_pkg(const void *a, const void *b)
{
	const struct drydock_pkg *x = *(const struct drydock_pkg *const *)a;
	const struct drydock_pkg *y = *(const struct drydock_pkg *const *)b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if ((c = strcmp(x->rpm_version, y->rpm_version)) != 0)
		return c;
	if ((c = strcmp(x->rpm_release, y->rpm_release)) != 0)
		return c;
	return strcmp(nz(x->arch), nz(y->arch));
}

/* Compare the packages of inv with the rpm -qa rows, field by field. */
static void expect_rows(const struct drydock_inventory *inv, char *csv,
			const char *db_path)
{
	struct row *rows;
	size_t n = parse_csv(csv, &rows), i;
	const struct drydock_pkg **ps;

	assert_true(n > 0);
	assert_int_equal(inv->npkgs, n);
	ps = calloc(n, sizeof(*ps));
	assert_non_null(ps);
	for (i = 0; i < n; i++)
		ps[i] = &inv->pkgs[i];
	qsort(rows, n, sizeof(*rows), cmp_row);
	qsort(ps, n, sizeof(*ps), cmp_pkg);
	for (i = 0; i < n; i++) {
		const struct drydock_pkg *p = ps[i];
		const struct row *r = &rows[i];
		char vr[2048];

		assert_int_equal(p->type, DRYDOCK_PKG_RPM);
		assert_string_equal(p->name, r->f[C_NAME]);
		assert_string_equal(p->rpm_version, r->f[C_VERSION]);
		assert_string_equal(p->rpm_release, r->f[C_RELEASE]);
		snprintf(vr, sizeof(vr), "%s-%s", r->f[C_VERSION],
			 r->f[C_RELEASE]);
		assert_string_equal(p->version, vr);
		if (r->f[C_EPOCH][0]) {
			char e[32];

			snprintf(e, sizeof(e), "%ld", p->epoch);
			assert_string_equal(e, r->f[C_EPOCH]);
		} else {
			assert_int_equal(p->epoch, -1);
		}
		assert_string_equal(nz(p->arch), r->f[C_ARCH]);
		assert_string_equal(nz(p->src_rpm), r->f[C_SRPM]);
		if (strcmp(r->f[C_LICENSE], "(none)") == 0)
			assert_null(p->license);
		else
			assert_string_equal(nz(p->license), r->f[C_LICENSE]);
		assert_string_equal(p->db_path, db_path);
		/* the source name and version-release rebuild SOURCERPM */
		assert_non_null(p->src_name);
		assert_non_null(p->src_version);
		if (p->src_rpm && strcmp(p->src_rpm, "(none)") != 0) {
			char s[4096];
			const char *suffix = strstr(p->src_rpm, ".nosrc.rpm")
						     ? ".nosrc.rpm"
						     : ".src.rpm";

			snprintf(s, sizeof(s), "%s-%s%s", p->src_name,
				 p->src_version, suffix);
			assert_string_equal(s, p->src_rpm);
		} else {
			assert_string_equal(p->src_name, p->name);
			assert_string_equal(p->src_version, p->version);
		}
	}
	free(ps);
	free(rows);
}

static void parse_db_file(const char *rel, struct drydock_inventory *inv)
{
	struct drydock_err err;
	size_t len;
	uint8_t *d = slurp(rel, &len);
	int rc;

	drydock_err_clear(&err);
	rc = drydock_rpm_parse_db(inv, (const char *)d, len, rel, &err);
	if (rc != 0)
		fail_msg("%s: %s", rel, err.msg);
	free(d);
}

static void check_db(const char *rel, const char *csv_rel)
{
	struct drydock_inventory inv;
	size_t len;
	char *csv = (char *)slurp(csv_rel, &len);

	csv = realloc(csv, len + 1);
	csv[len] = '\0';
	drydock_inventory_init(&inv);
	parse_db_file(rel, &inv);
	expect_rows(&inv, csv, rel);
	drydock_inventory_free(&inv);
	free(csv);
}

static void test_rpm__sqlite_amazonlinux2023(void **state)
{
	(void)state;
	/* 103 rows of rpm -qa, gpg-pubkey included (we list it too) */
	check_db("amazonlinux2023/rpmdb.sqlite",
		 "amazonlinux2023/packages.csv");
}

static void test_rpm__ndb_sle15(void **state)
{
	(void)state;
	check_db("sle15-bci/Packages.db", "sle15-bci/packages.csv");
}

static void test_rpm__bdb(void **state)
{
	(void)state;
	check_db("syft-Packages.bdb", "syft-Packages.bdb.rpm-qa.csv");
	check_db("go-rpmdb-libuuid-Packages.bdb",
		 "go-rpmdb-libuuid-Packages.bdb.rpm-qa.csv");
	check_db("osv-scalibr-Packages_epoch.bdb",
		 "osv-scalibr-Packages_epoch.bdb.rpm-qa.csv");
	check_db("debian-rpm-4.18/Packages.bdb",
		 "debian-rpm-4.18/Packages.bdb.rpm-qa.csv");
}

static void test_rpm__sqlite_debian(void **state)
{
	(void)state;
	check_db("debian-rpm-4.18/rpmdb.sqlite",
		 "debian-rpm-4.18/rpmdb.sqlite.rpm-qa.csv");
}

static void test_rpm__header_claircore(void **state)
{
	struct drydock_inventory inv;
	struct drydock_err err;
	size_t len, clen;
	uint8_t *d = slurp("claircore-package.header", &len);
	char *csv = (char *)slurp("claircore-package.header.rpm-qa.csv", &clen);
	uint8_t *m;

	(void)state;
	csv = realloc(csv, clen + 1);
	csv[clen] = '\0';
	drydock_inventory_init(&inv);
	drydock_err_clear(&err);
	assert_int_equal(drydock_rpm_parse_header(&inv, d, len,
						  "claircore-package.header",
						  &err),
			 0);
	expect_rows(&inv, csv, "claircore-package.header");
	drydock_inventory_free(&inv);

	/* the same blob behind the 8-byte header magic */
	m = malloc(len + 8);
	memcpy(m, "\x8e\xad\xe8\x01\0\0\0\0", 8);
	memcpy(m + 8, d, len);
	drydock_inventory_init(&inv);
	assert_int_equal(drydock_rpm_parse_header(&inv, m, len + 8, "x", &err),
			 0);
	assert_int_equal(inv.npkgs, 1);
	assert_string_equal(inv.pkgs[0].name, "crypto-policies");
	drydock_inventory_free(&inv);
	free(m);
	free(d);
	free(csv);
}

/* Facts stated by the upstream projects' own tests and file names. */
static void test_rpm__source_names(void **state)
{
	struct drydock_inventory inv;
	size_t i;
	int seen = 0;

	(void)state;
	drydock_inventory_init(&inv);
	parse_db_file("go-rpmdb-libuuid-Packages.bdb", &inv);
	assert_int_equal(inv.npkgs, 1);
	assert_string_equal(inv.pkgs[0].src_name, "util-linux");
	assert_string_equal(inv.pkgs[0].src_version, "2.32.1-42.el8_8");
	drydock_inventory_free(&inv);

	drydock_inventory_init(&inv);
	parse_db_file("amazonlinux2023/rpmdb.sqlite", &inv);
	for (i = 0; i < inv.npkgs; i++) {
		const struct drydock_pkg *p = &inv.pkgs[i];

		if (strcmp(p->name, "amazon-linux-repo-cdn") == 0) {
			assert_string_equal(p->src_name, "system-release");
			assert_string_equal(p->src_version,
					    "2023.1.20230825-0.amzn2023");
			seen |= 1;
		}
		if (strcmp(p->name, "gpg-pubkey") == 0) {
			assert_null(p->arch);
			/* rpm stores the text "(none)" as its SOURCERPM */
			assert_string_equal(p->src_rpm, "(none)");
			assert_string_equal(p->src_name, "gpg-pubkey");
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	drydock_inventory_free(&inv);

	drydock_inventory_init(&inv);
	parse_db_file("osv-scalibr-Packages_epoch.bdb", &inv);
	assert_int_equal(inv.npkgs, 1);
	assert_string_equal(inv.pkgs[0].name, "hello");
	assert_int_equal(inv.pkgs[0].epoch, 1);
	drydock_inventory_free(&inv);
}

/* Live differential: the rpm binary reads the same file. */
static int have_rpm(void)
{
	return system("rpm --version >/dev/null 2>&1") == 0;
}

static void diff_rpm(const char *rel, const char *as, const char *backend)
{
	char dir[] = "/tmp/drydock-rpm-XXXXXX";
	char cmd[8192], out[4200];
	struct drydock_inventory inv;
	size_t len;
	uint8_t *d = slurp(rel, &len);
	char *src = data_path(rel);
	char *csv;
	struct drydock_buf b = DRYDOCK_BUF_INIT(16u * 1024 * 1024);
	struct drydock_err err;

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/%s'", src, dir, as);
	assert_int_equal(system(cmd), 0);
	snprintf(out, sizeof(out), "%s/out.csv", dir);
	snprintf(cmd, sizeof(cmd),
		 "rpm --dbpath '%s' %s -qa --qf "
		 "'%%|EPOCH?{%%{EPOCH}}:{}|" SEP "%%{NAME}" SEP
		 "%%{VERSION}" SEP "%%{RELEASE}" SEP
		 "%%|ARCH?{%%{ARCH}}:{}|" SEP
		 "%%|SOURCERPM?{%%{SOURCERPM}}:{}|" SEP "%%{SIZE}" SEP
		 "%%{LICENSE}" SEP "%%|VENDOR?{%%{VENDOR}}:{}|" SEP
		 "%%{SUMMARY}" SEP "%%{SIGMD5}\\n' >'%s' 2>/dev/null",
		 dir, backend, out);
	assert_int_equal(system(cmd), 0);
	drydock_err_clear(&err);
	assert_int_equal(drydock_buf_read_file(&b, out, &err), 0);
	csv = drydock_buf_detach(&b, NULL);
	drydock_inventory_init(&inv);
	assert_int_equal(
		drydock_rpm_parse_db(&inv, (const char *)d, len, rel, &err), 0);
	expect_rows(&inv, csv, rel);
	drydock_inventory_free(&inv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(csv);
	free(src);
	free(d);
}

static void test_rpm__differential_rpm_binary(void **state)
{
	(void)state;
	if (!have_rpm())
		skip();
	diff_rpm("amazonlinux2023/rpmdb.sqlite", "rpmdb.sqlite", "");
	diff_rpm("debian-rpm-4.18/rpmdb.sqlite", "rpmdb.sqlite", "");
	diff_rpm("debian-rpm-4.18/Packages.bdb", "Packages",
		 "--define '_db_backend bdb_ro'");
	diff_rpm("syft-Packages.bdb", "Packages",
		 "--define '_db_backend bdb_ro'");
	diff_rpm("go-rpmdb-libuuid-Packages.bdb", "Packages",
		 "--define '_db_backend bdb_ro'");
	diff_rpm("osv-scalibr-Packages_epoch.bdb", "Packages",
		 "--define '_db_backend bdb_ro'");
}

/* ---- Berkeley DB in the other byte order ---- */

static void swap32(uint8_t *p)
{
	uint8_t t = p[0];

	p[0] = p[3];
	p[3] = t;
	t = p[1];
	p[1] = p[2];
	p[2] = t;
}

static void swap16(uint8_t *p)
{
	uint8_t t = p[0];

	p[0] = p[1];
	p[1] = t;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * Rewrite a little-endian rpm hash database as a big-endian host would
 * have written it: meta fields, page headers, item offsets, overflow
 * references, and the header-number keys (rpm stores them natively).
 */
static void bdb_to_big_endian(uint8_t *d, size_t len)
{
	uint32_t ps = le32(d + 20), pg;
	size_t o;

	for (o = 0; o < 52; o += 4)
		if (o != 24)
			swap32(d + o);
	for (o = 72; o < 96 + 32 * 4; o += 4)
		swap32(d + o);
	for (pg = 1; (size_t)(pg + 1) * ps <= len; pg++) {
		uint8_t *p = d + (size_t)pg * ps;
		uint16_t n = le16(p + 20), i;

		if (p[25] == 13) {
			for (i = 0; i < n; i++) {
				uint16_t off = le16(p + 26 + 2 * i);
				uint16_t end = i ? le16(p + 26 + 2 * (i - 1))
						 : (uint16_t)0;
				size_t ilen = (i ? end : ps) - off;

				if (p[off] == 3) {
					swap32(p + off + 4);
					swap32(p + off + 8);
				} else if (i % 2 == 0 && ilen == 5) {
					swap32(p + off + 1);
				}
				swap16(p + 26 + 2 * i);
			}
		}
		if (p[25] != 0) {
			for (o = 0; o < 20; o += 4)
				swap32(p + o);
			swap16(p + 20);
			swap16(p + 22);
		}
	}
}

static void test_rpm__bdb_big_endian(void **state)
{
	static const char *const files[] = {"syft-Packages.bdb",
					    "go-rpmdb-libuuid-Packages.bdb",
					    "osv-scalibr-Packages_epoch.bdb",
					    "debian-rpm-4.18/Packages.bdb"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct drydock_inventory inv;
		struct drydock_err err;
		char csvrel[256];
		size_t len, clen;
		uint8_t *d = slurp(files[i], &len);
		char *csv;

		assert_int_equal(d[12], 0x61); /* little-endian originals */
		bdb_to_big_endian(d, len);
		assert_int_equal(d[15], 0x61);
		snprintf(csvrel, sizeof(csvrel), "%s.rpm-qa.csv", files[i]);
		csv = (char *)slurp(csvrel, &clen);
		csv = realloc(csv, clen + 1);
		csv[clen] = '\0';
		drydock_inventory_init(&inv);
		drydock_err_clear(&err);
		if (drydock_rpm_parse_db(&inv, (const char *)d, len, files[i],
					 &err) != 0)
			fail_msg("%s: %s", files[i], err.msg);
		expect_rows(&inv, csv, files[i]);
		drydock_inventory_free(&inv);
		free(csv);
		free(d);
	}
}

/* ---- hostile input ---- */

/* rc is a clean failure: a known code, a one-line message naming the
 * input first, and nothing left in inv. */
static void expect_clean_error(int rc, const struct drydock_err *err,
			       const struct drydock_inventory *inv,
			       const char *name)
{
	char prefix[256];

	if (rc == 0)
		return;
	assert_true(rc == DRYDOCK_ECORRUPT || rc == DRYDOCK_ELIMIT ||
		    rc == DRYDOCK_EUNSUPPORTED);
	snprintf(prefix, sizeof(prefix), "'%s'", name);
	if (strncmp(err->msg, prefix, strlen(prefix)) != 0)
		fail_msg("message does not name the input: %s", err->msg);
	assert_null(strchr(err->msg, '\n'));
	assert_int_equal(inv->npkgs, 0);
}

static int parse_copy(const uint8_t *d, size_t len, const char *name,
		      int header, struct drydock_err *err, size_t *npkgs)
{
	struct drydock_inventory inv;
	uint8_t *c = malloc(len ? len : 1);
	int rc;

	memcpy(c, d, len);
	drydock_inventory_init(&inv);
	drydock_err_clear(err);
	rc = header ? drydock_rpm_parse_header(&inv, c, len, name, err)
		    : drydock_rpm_parse_db(&inv, (const char *)c, len, name,
					   err);
	expect_clean_error(rc, err, &inv, name);
	if (npkgs)
		*npkgs = inv.npkgs;
	drydock_inventory_free(&inv);
	free(c);
	return rc;
}

static const char *const all_files[] = {
	"syft-Packages.bdb",
	"go-rpmdb-libuuid-Packages.bdb",
	"osv-scalibr-Packages_epoch.bdb",
	"debian-rpm-4.18/Packages.bdb",
	"debian-rpm-4.18/rpmdb.sqlite",
	"sle15-bci/Packages.db",
	"claircore-package.header",
};

static void test_rpm__truncated(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all_files) / sizeof(all_files[0]); i++) {
		int header = strstr(all_files[i], ".header") != NULL;
		size_t len, cut, step;
		uint8_t *d = slurp(all_files[i], &len);

		step = len / 61 + 1;
		for (cut = 0; cut < len; cut += (cut < 64 ? 1 : step)) {
			struct drydock_err err;
			int rc = parse_copy(d, cut, all_files[i], header, &err,
					    NULL);

			if (rc == 0)
				fail_msg("%s cut at %zu parsed", all_files[i],
					 cut);
		}
		free(d);
	}
}

static void test_rpm__bit_flips(void **state)
{
	uint32_t seed = 12345;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all_files) / sizeof(all_files[0]); i++) {
		int header = strstr(all_files[i], ".header") != NULL;
		int rounds = strstr(all_files[i], "sqlite") ? 150 : 600, r;
		size_t len;
		uint8_t *d = slurp(all_files[i], &len);

		for (r = 0; r < rounds; r++) {
			struct drydock_err err;
			uint8_t *c = malloc(len);
			int k;

			memcpy(c, d, len);
			for (k = 0; k < 4; k++) {
				seed = seed * 1103515245u + 12345u;
				c[(seed >> 8) % len] ^=
					(uint8_t)(1u << ((seed >> 4) % 8));
			}
			parse_copy(c, len, all_files[i], header, &err, NULL);
			free(c);
		}
		free(d);
	}
}

/* A header from entries (tag, type, offset, count) and a data store. */
static size_t make_header(uint8_t *out, const uint32_t (*e)[4], uint32_t il,
			  const void *data, uint32_t dl)
{
	uint32_t i, k;
	uint8_t *p = out;

	for (k = 0; k < 2; k++) {
		uint32_t v = k ? dl : il;

		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
		p += 4;
	}
	for (i = 0; i < il; i++)
		for (k = 0; k < 4; k++) {
			p[0] = (uint8_t)(e[i][k] >> 24);
			p[1] = (uint8_t)(e[i][k] >> 16);
			p[2] = (uint8_t)(e[i][k] >> 8);
			p[3] = (uint8_t)e[i][k];
			p += 4;
		}
	memcpy(p, data, dl);
	return 8 + (size_t)il * 16 + dl;
}

static int try_header(const uint32_t (*e)[4], uint32_t il, const void *data,
		      uint32_t dl, struct drydock_inventory *inv,
		      struct drydock_err *err)
{
	uint8_t buf[1024];
	size_t n = make_header(buf, e, il, data, dl);

	drydock_err_clear(err);
	return drydock_rpm_parse_header(inv, buf, n, "h", err);
}

static void test_rpm__crafted_headers(void **state)
{
	/* name "a", version "1", release "2", epoch 7, then SOURCERPM */
	static const char store[] = "a\0"
				    "1\0"
				    "2\0\0\0"
				    "\0\0\0\7"
				    "src-a-1.0-2.nosrc.rpm";
	static const char weird[] = "a\0"
				    "1\0"
				    "2\0\0\0"
				    "\0\0\0\7"
				    "weird.src.rpm";
	uint32_t ok[5][4] = {{1000, 6, 0, 1},
			     {1001, 6, 2, 1},
			     {1002, 6, 4, 1},
			     {1003, 4, 8, 1},
			     {1044, 6, 12, 1}};
	uint32_t bad[5][4];
	struct drydock_inventory inv;
	struct drydock_err err;

	(void)state;
	drydock_inventory_init(&inv);
	assert_int_equal(try_header(ok, 5, store, sizeof(store), &inv, &err),
			 0);
	assert_int_equal(inv.npkgs, 1);
	assert_string_equal(inv.pkgs[0].name, "a");
	assert_string_equal(inv.pkgs[0].version, "1-2");
	assert_int_equal(inv.pkgs[0].epoch, 7);
	assert_null(inv.pkgs[0].arch);
	assert_string_equal(inv.pkgs[0].src_name, "src-a");
	assert_string_equal(inv.pkgs[0].src_version, "1.0-2");
	drydock_inventory_free(&inv);

	/* a SOURCERPM that does not split: the package is its own source */
	drydock_inventory_init(&inv);
	assert_int_equal(try_header(ok, 5, weird, sizeof(weird), &inv, &err),
			 0);
	assert_string_equal(inv.pkgs[0].src_rpm, "weird.src.rpm");
	assert_string_equal(inv.pkgs[0].src_name, "a");
	assert_string_equal(inv.pkgs[0].src_version, "1-2");
	drydock_inventory_free(&inv);

	drydock_inventory_init(&inv);
	/* no release */
	assert_int_equal(try_header(ok, 2, store, 4, &inv, &err),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "no release"));
	/* offset past the store */
	memcpy(bad, ok, sizeof(bad));
	bad[4][2] = 4000;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	/* string without its NUL */
	assert_int_equal(
		try_header(ok, 5, store, sizeof(store) - 1, &inv, &err),
		DRYDOCK_ECORRUPT);
	/* overlapping data */
	memcpy(bad, ok, sizeof(bad));
	bad[1][2] = 0;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "overlaps"));
	/* misaligned int32 */
	memcpy(bad, ok, sizeof(bad));
	bad[3][2] = 7;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	/* a huge count */
	memcpy(bad, ok, sizeof(bad));
	bad[3][3] = 0x3fffffff;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	/* bad type */
	memcpy(bad, ok, sizeof(bad));
	bad[2][1] = 77;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	/* epoch as a string */
	memcpy(bad, ok, sizeof(bad));
	bad[2][1] = 6;
	bad[3][1] = 6;
	bad[3][2] = 6;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	/* a region tag whose trailer is not one */
	memcpy(bad, ok, sizeof(bad));
	bad[0][0] = 63;
	bad[0][1] = 7;
	bad[0][2] = 0;
	bad[0][3] = 16;
	assert_int_equal(try_header(bad, 5, store, sizeof(store), &inv, &err),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(inv.npkgs, 0);
	drydock_inventory_free(&inv);

	{
		/* counts past the limits, without the bytes behind them */
		uint8_t h[16] = {0, 1, 0, 0, 0, 0, 0, 0};

		drydock_inventory_init(&inv);
		drydock_err_clear(&err);
		assert_int_equal(
			drydock_rpm_parse_header(&inv, h, 8, "h", &err),
			DRYDOCK_ELIMIT);
		assert_non_null(strstr(err.msg, "DRYDOCK_MAX_RPM_HEADER_TAGS"));
		h[1] = 0;
		h[3] = 1;
		h[4] = 0x7f;
		assert_int_equal(
			drydock_rpm_parse_header(&inv, h, 16, "h", &err),
			DRYDOCK_ELIMIT);
		h[4] = 0;
		h[7] = 1;
		assert_int_equal(
			drydock_rpm_parse_header(&inv, h, 16, "h", &err),
			DRYDOCK_ECORRUPT);
		drydock_inventory_free(&inv);
	}
}

/* First page of the given type whose next-page field is set. */
static uint32_t find_chained(const uint8_t *d, size_t len, uint8_t type)
{
	uint32_t ps = le32(d + 20), pg;

	for (pg = 1; (size_t)(pg + 1) * ps <= len; pg++) {
		const uint8_t *p = d + (size_t)pg * ps;

		if (p[25] == type && le32(p + 16) != 0)
			return pg;
	}
	return 0;
}

static void test_rpm__bdb_cycles(void **state)
{
	struct drydock_err err;
	size_t len;
	uint8_t *d = slurp("go-rpmdb-libuuid-Packages.bdb", &len);
	uint32_t pg = find_chained(d, len, 7), ps = le32(d + 20);
	uint8_t *p;

	(void)state;
	/* an overflow chain pointing back at itself */
	assert_true(pg != 0);
	p = d + (size_t)pg * ps;
	p[16] = (uint8_t)pg;
	p[17] = (uint8_t)(pg >> 8);
	p[18] = p[19] = 0;
	assert_int_equal(parse_copy(d, len, "Packages", 0, &err, NULL),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "cycle"));
	free(d);

	/* a bucket chain pointing back at its first page */
	d = slurp("go-rpmdb-libuuid-Packages.bdb", &len);
	for (pg = 1; (size_t)(pg + 1) * ps <= len; pg++)
		if (d[(size_t)pg * ps + 25] == 13)
			break;
	p = d + (size_t)pg * ps;
	p[16] = (uint8_t)pg;
	p[17] = (uint8_t)(pg >> 8);
	assert_int_equal(parse_copy(d, len, "Packages", 0, &err, NULL),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "cycle"));

	/* a page count past the limit */
	d[32] = 0xff;
	d[33] = 0xff;
	d[34] = 0xff;
	assert_int_equal(parse_copy(d, len, "Packages", 0, &err, NULL),
			 DRYDOCK_ELIMIT);
	free(d);
}

static void test_rpm__ndb_corrupt(void **state)
{
	struct drydock_err err;
	size_t len, n;
	uint8_t *d = slurp("sle15-bci/Packages.db", &len);

	(void)state;
	/* first slot's block offset far past the end */
	d[32 + 11] = 0x7f;
	assert_int_equal(parse_copy(d, len, "Packages.db", 0, &err, &n),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "outside the file"));
	free(d);
	/* a huge slot page count */
	d = slurp("sle15-bci/Packages.db", &len);
	d[15] = 0x10;
	assert_int_equal(parse_copy(d, len, "Packages.db", 0, &err, &n),
			 DRYDOCK_ELIMIT);
	free(d);
	/* a blob whose magic is wrong: nothing is kept of the database */
	d = slurp("sle15-bci/Packages.db", &len);
	{
		uint32_t off = le32(d + 32 + 8) * 16;

		d[off] = 'X';
	}
	assert_int_equal(parse_copy(d, len, "Packages.db", 0, &err, &n),
			 DRYDOCK_ECORRUPT);
	assert_int_equal(n, 0);
	free(d);
}

/*
 * Build a sqlite database in memory: run sql, insert blob (when given)
 * into t(blob), run post; serialize it and parse the image.
 */
static int sqlite_case(const char *sql, const uint8_t *blob, size_t blen,
		       const char *post, struct drydock_err *err, size_t *npkgs)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	sqlite3_int64 n;
	unsigned char *img;
	int rc;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	if (blob) {
		assert_int_equal(sqlite3_prepare_v2(db,
						    "INSERT INTO t(blob) "
						    "VALUES (?)",
						    -1, &st, NULL),
				 SQLITE_OK);
		sqlite3_bind_blob(st, 1, blob, (int)blen, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	if (post)
		assert_int_equal(sqlite3_exec(db, post, NULL, NULL, NULL),
				 SQLITE_OK);
	img = sqlite3_serialize(db, "main", &n, 0);
	assert_non_null(img);
	sqlite3_close(db);
	rc = parse_copy(img, (size_t)n, "rpmdb.sqlite", 0, err, npkgs);
	sqlite3_free(img);
	return rc;
}

#define TABLE "CREATE TABLE t(hnum INTEGER PRIMARY KEY, blob BLOB);"
#define RENAME "ALTER TABLE t RENAME TO Packages;"

static void test_rpm__sqlite_crafted(void **state)
{
	struct drydock_err err;
	size_t len, n;
	uint8_t *h = slurp("claircore-package.header", &len);

	(void)state;
	/* the expected shape, built here: one package */
	assert_int_equal(sqlite_case(TABLE, h, len, RENAME, &err, &n), 0);
	assert_int_equal(n, 1);
	/* no Packages table */
	assert_int_equal(sqlite_case(TABLE, h, len, NULL, &err, NULL),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "Packages"));
	/* Packages is a view over the real rows: views are disabled */
	assert_true(sqlite_case(TABLE, h, len,
				"CREATE VIEW Packages AS SELECT hnum, blob "
				"FROM t;",
				&err, NULL) < 0);
	/* a trigger-free, extension-free read: a text value as blob */
	assert_int_equal(sqlite_case(TABLE, NULL, 0,
				     RENAME "INSERT INTO Packages VALUES (5, "
					    "'x');",
				     &err, NULL),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "hnum 5"));
	/* a blob that is not a header */
	assert_int_equal(sqlite_case(TABLE, (const uint8_t *)"garbage", 7,
				     RENAME, &err, NULL),
			 DRYDOCK_ECORRUPT);
	assert_non_null(strstr(err.msg, "header"));
	free(h);
}

static void test_rpm__not_a_database(void **state)
{
	struct drydock_err err;
	uint8_t junk[4096];

	(void)state;
	memset(junk, 'x', sizeof(junk));
	assert_int_equal(parse_copy(junk, sizeof(junk), "var/lib/rpm/Packages",
				    0, &err, NULL),
			 DRYDOCK_ECORRUPT);
	assert_string_equal(err.msg, "'var/lib/rpm/Packages': not an rpm "
				     "database (neither sqlite, berkeley db "
				     "hash nor ndb)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpm__sqlite_amazonlinux2023),
		cmocka_unit_test(test_rpm__ndb_sle15),
		cmocka_unit_test(test_rpm__bdb),
		cmocka_unit_test(test_rpm__sqlite_debian),
		cmocka_unit_test(test_rpm__header_claircore),
		cmocka_unit_test(test_rpm__source_names),
		cmocka_unit_test(test_rpm__differential_rpm_binary),
		cmocka_unit_test(test_rpm__bdb_big_endian),
		cmocka_unit_test(test_rpm__truncated),
		cmocka_unit_test(test_rpm__bit_flips),
		cmocka_unit_test(test_rpm__crafted_headers),
		cmocka_unit_test(test_rpm__bdb_cycles),
		cmocka_unit_test(test_rpm__ndb_corrupt),
		cmocka_unit_test(test_rpm__sqlite_crafted),
		cmocka_unit_test(test_rpm__not_a_database),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
