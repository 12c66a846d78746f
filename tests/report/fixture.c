#include "lib/util/setup.h"

#include <stdio.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "fixture.h"

char *fixture_read(const char *rel, size_t *len)
{
	const char *root = getenv("DRYDOCK_TEST_DATA");
	struct drydock_buf b = DRYDOCK_BUF_INIT(64u * 1024 * 1024);
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root ? root : "tests/data", rel);
	if (drydock_buf_read_file(&b, path, NULL)) {
		drydock_buf_release(&b);
		return NULL;
	}
	return drydock_buf_detach(&b, len);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

int fixture_minbase(struct drydock_inventory *inv)
{
	size_t len;
	char *data = fixture_read("report/minbase/dpkg-query.tsv", &len);
	char *line, *save = NULL;

	if (!data)
		return -1;
	drydock_inventory_init(inv);
	snprintf(inv->os.family, sizeof(inv->os.family), "debian");
	snprintf(inv->os.version, sizeof(inv->os.version), "12");
	snprintf(inv->os.codename, sizeof(inv->os.codename), "bookworm");
	snprintf(inv->os.pretty_name, sizeof(inv->os.pretty_name),
		 "Debian GNU/Linux 12 (bookworm)");
	snprintf(inv->os.source, sizeof(inv->os.source), "etc/os-release");
	/* name, version, arch, source name, source version */
	for (line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *fs = NULL;
		struct drydock_pkg *p;
		int i;

		f[0] = strtok_r(line, "\t", &fs);
		for (i = 1; i < 5; i++)
			f[i] = strtok_r(NULL, "\t", &fs);
		if (!f[4])
			continue;
		p = drydock_inventory_add(inv, NULL);
		if (!p)
			return -1;
		p->type = DRYDOCK_PKG_DEB;
		p->epoch = -1;
		p->name = strdup(f[0]);
		p->version = strdup(f[1]);
		p->arch = strdup(f[2]);
		p->src_name = strdup(f[3]);
		p->src_version = strdup(f[4]);
		p->layer_diff_id = strdup(FIXTURE_DIFF_ID);
		p->layer = 0;
		p->db_path = strdup("var/lib/dpkg/status");
	}
	free(data);
	return 0;
}

static struct drydock_pkg *add(struct drydock_inventory *inv,
			       enum drydock_pkg_type t, const char *name,
			       const char *version, const char *arch,
			       const char *src, const char *srcver,
			       const char *license)
{
	struct drydock_pkg *p = drydock_inventory_add(inv, NULL);

	if (!p)
		return NULL;
	p->type = t;
	p->epoch = -1;
	p->name = strdup(name);
	p->version = strdup(version);
	p->arch = dup_or_null(arch);
	p->src_name = dup_or_null(src);
	p->src_version = dup_or_null(srcver);
	p->license = dup_or_null(license);
	p->layer_diff_id = strdup(FIXTURE_DIFF_ID);
	return p;
}

int fixture_alpine(struct drydock_inventory *inv)
{
	struct drydock_pkg *p;

	drydock_inventory_init(inv);
	snprintf(inv->os.family, sizeof(inv->os.family), "alpine");
	snprintf(inv->os.version, sizeof(inv->os.version), "3.20.3");
	snprintf(inv->os.pretty_name, sizeof(inv->os.pretty_name),
		 "Alpine Linux v3.20");
	snprintf(inv->os.apk_branch, sizeof(inv->os.apk_branch), "v3.20");
	p = add(inv, DRYDOCK_PKG_APK, "busybox", "1.36.1-r29", "x86_64",
		"busybox", NULL, "GPL-2.0-only");
	if (!p)
		return -1;
	p->db_path = strdup("lib/apk/db/installed");
	p = add(inv, DRYDOCK_PKG_APK, "ssl_client", "1.36.1-r29", "x86_64",
		"busybox", NULL, "GPL-2.0-only");
	if (!p)
		return -1;
	p->db_path = strdup("lib/apk/db/installed");
	p = add(inv, DRYDOCK_PKG_APK, "musl", "1.2.5-r0", "x86_64", "musl",
		NULL, "MIT");
	if (!p)
		return -1;
	p->db_path = strdup("lib/apk/db/installed");
	/* not a valid SPDX expression: must not become licenseDeclared */
	p = add(inv, DRYDOCK_PKG_APK, "libcrypto3", "3.3.2-r0", "x86_64",
		"openssl", NULL, "Apache-2.0 AND");
	if (!p)
		return -1;
	p->db_path = strdup("lib/apk/db/installed");
	/* Latin-1 in a maintainer field must come out as valid UTF-8 */
	p->maintainer = strdup("Na\xefve Packag\xe9r <x@example.org>");
	return 0;
}

static int rpm(struct drydock_inventory *inv, const char *name, const char *ver,
	       const char *rel, long epoch, const char *arch, const char *srpm,
	       const char *license)
{
	char vr[256], src[256];
	struct drydock_pkg *p;

	snprintf(vr, sizeof(vr), "%s-%s", ver, rel);
	/* "openssl-1.1.1k-12.el8.src.rpm" -> "openssl" */
	snprintf(src, sizeof(src), "%s", srpm);
	for (int i = 0; i < 2; i++) {
		char *d = strrchr(src, '-');

		if (d)
			*d = '\0';
	}
	p = add(inv, DRYDOCK_PKG_RPM, name, vr, arch, src, vr, license);
	if (!p)
		return -1;
	p->epoch = epoch;
	p->rpm_version = strdup(ver);
	p->rpm_release = strdup(rel);
	p->src_rpm = strdup(srpm);
	p->db_path = strdup("var/lib/rpm/rpmdb.sqlite");
	return 0;
}

int fixture_rhel(struct drydock_inventory *inv)
{
	drydock_inventory_init(inv);
	snprintf(inv->os.family, sizeof(inv->os.family), "rhel");
	snprintf(inv->os.version, sizeof(inv->os.version), "8.9");
	snprintf(inv->os.pretty_name, sizeof(inv->os.pretty_name),
		 "Red Hat Enterprise Linux 8.9 (Ootpa)");
	if (rpm(inv, "openssl", "1.1.1k", "12.el8", 1, "x86_64",
		"openssl-1.1.1k-12.el8.src.rpm", "OpenSSL and ASL 2.0") ||
	    rpm(inv, "bash", "4.4.20", "4.el8_6", -1, "x86_64",
		"bash-4.4.20-4.el8_6.src.rpm", "GPLv3+") ||
	    rpm(inv, "tzdata", "2024a", "1.el8", 0, "noarch",
		"tzdata-2024a-1.el8.src.rpm", "Public Domain") ||
	    rpm(inv, "libstdc++", "8.5.0", "20.el8", -1, "x86_64",
		"gcc-8.5.0-20.el8.src.rpm",
		"GPLv3+ and GPLv3+ with exceptions"))
		return -1;
	return 0;
}

static const struct drydock_layer_info fixture_layers[1] = {{
	.digest = "sha256:2222222222222222222222222222222222222222222222222222"
		  "222222222222",
	.diff_id = FIXTURE_DIFF_ID,
	.media_type = "application/vnd.oci.image.layer.v1.tar+gzip",
	.size = 12345,
	.in_base = -1,
}};

void fixture_input(struct drydock_sbom_input *in,
		   const struct drydock_inventory *inv)
{
	memset(in, 0, sizeof(*in));
	in->name = "oci:fixture:latest";
	in->digest =
		"sha256:3333333333333333333333333333333333333333333333333333"
		"333333333333";
	in->config_digest = "sha256:444444444444444444444444444444444444444444"
			    "4444444444444444444444";
	in->platform = "linux/amd64";
	in->layers = fixture_layers;
	in->nlayers = 1;
	in->timestamp = -1;
	in->inv = inv;
}
