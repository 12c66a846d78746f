#include "../util/setup.h"

/*
 * Image references, parsed the way Docker's distribution/reference
 * ParseNormalizedNamed does (grammar from its reference.go and
 * normalize.go, re-implemented as a cursor parser):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [domain '/'] path-component ['/' path-component]*
 *   domain     := host [':' port-number]
 *   host       := domain-name | IPv4 | '[' IPv6 ']'
 *   domain-name:= domain-component ['.' domain-component]*
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component := alnum [separator alnum]*, alnum = [a-z0-9]+,
 *                     separator = [_.] | __ | [-]+
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex, algorithm := [A-Za-z][A-Za-z0-9]*
 *                 ([+._-][A-Za-z][A-Za-z0-9]*)*, hex := [0-9a-fA-F]{32,}
 *
 * The whole name (domain '/' path) is at most 255 bytes.
 */

#include <ctype.h>
#include <stdio.h>

#include "drydock/error.h"
#include "drydock/registry.h"

#define DEFAULT_DOMAIN "docker.io"
#define LEGACY_DEFAULT_DOMAIN "index.docker.io"
#define DEFAULT_API_HOST "registry-1.docker.io"
#define NAME_TOTAL_MAX 255

static int is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* One path component in [s, s+n). */
static int path_component_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (!n || !is_lower_alnum(s[0]))
		return 0;
	while (i < n) {
		while (i < n && is_lower_alnum(s[i]))
			i++;
		if (i == n)
			return 1;
		/* a separator, then more alnum */
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < n && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return 0;
		}
		if (i == n || !is_lower_alnum(s[i]))
			return 0;
	}
	return 1;
}

static int path_ok(const char *s, size_t n)
{
	size_t start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (!path_component_ok(s + start, i - start))
				return 0;
			start = i + 1;
		}
	}
	return 1;
}

int drydock_registry_repo_valid(const char *s)
{
	return path_ok(s, strlen(s));
}

static int domain_component_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int ipv6_ok(const char *s, size_t n)
{
	size_t i;

	/* [hex:...]: the grammar accepts hex digits and colons */
	if (n < 3 || s[0] != '[' || s[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != ':')
			return 0;
	return 1;
}

static int domain_ok(const char *s, size_t n)
{
	size_t host_end = n, i, start;

	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close)
			return 0;
		host_end = (size_t)(close - s) + 1;
		if (!ipv6_ok(s, host_end))
			return 0;
	} else {
		const char *colon = memchr(s, ':', n);

		if (colon)
			host_end = (size_t)(colon - s);
		start = 0;
		for (i = 0; i <= host_end; i++) {
			if (i == host_end || s[i] == '.') {
				if (!domain_component_ok(s + start, i - start))
					return 0;
				start = i + 1;
			}
		}
	}
	if (host_end == n)
		return 1;
	if (s[host_end] != ':' || host_end + 1 == n)
		return 0;
	for (i = host_end + 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int tag_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 128)
		return 0;
	if (!(is_alnum(s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(is_alnum(s[i]) || s[i] == '_' || s[i] == '.' ||
		      s[i] == '-'))
			return 0;
	return 1;
}

int drydock_registry_tag_valid(const char *s)
{
	return tag_ok(s, strlen(s));
}

static int alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* The digest grammar, then the registered algorithms' exact form. */
static int digest_ok(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t alen, i;

	if (!colon)
		return 0;
	alen = (size_t)(colon - s);
	if (!alen || !alpha(s[0]))
		return 0;
	for (i = 1; i < alen; i++) {
		if (is_alnum(s[i]))
			continue;
		if ((s[i] == '+' || s[i] == '.' || s[i] == '_' ||
		     s[i] == '-') &&
		    i + 1 < alen && alpha(s[i + 1]))
			continue;
		return 0;
	}
	if (n - alen - 1 < 32)
		return 0;
	for (i = alen + 1; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	/* go-digest: sha256 is 64 and sha512 128 lower-case hex digits;
	 * other algorithms are unavailable */
	if (alen == 6 && !memcmp(s, "sha256", 6))
		return n - 7 == 64 && lower_hex(s + 7, 64);
	if (alen == 6 && !memcmp(s, "sha512", 6))
		return n - 7 == 128 && lower_hex(s + 7, 128);
	return 0;
}

static int all_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

static int copy_span(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

int drydock_registry_ref_parse(struct drydock_registry_ref *out, const char *s,
			       struct drydock_err *err)
{
	const char *slash, *rem, *at, *colon, *name_end;
	size_t first_len, dlen, plen, i;
	int has_domain;

	memset(out, 0, sizeof(*out));
	if (!*s)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'': repository name must have at "
				       "least one component");
	if (strlen(s) > 1024)
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%.60s...': reference too long", s);
	if (all_hex64(s))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%s': invalid repository name, cannot "
				       "specify 64-byte hexadecimal strings",
				       s);

	/* splitDockerDomain */
	slash = strchr(s, '/');
	has_domain = 0;
	if (slash) {
		first_len = (size_t)(slash - s);
		has_domain = memchr(s, '.', first_len) ||
			     memchr(s, ':', first_len) ||
			     (first_len == 9 && !memcmp(s, "localhost", 9));
		for (i = 0; i < first_len && !has_domain; i++)
			if (s[i] >= 'A' && s[i] <= 'Z')
				has_domain = 1;
	}
	if (has_domain) {
		dlen = (size_t)(slash - s);
		rem = slash + 1;
		if (!domain_ok(s, dlen))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': invalid reference format",
					       s);
		if (dlen == strlen(LEGACY_DEFAULT_DOMAIN) &&
		    !memcmp(s, LEGACY_DEFAULT_DOMAIN, dlen))
			snprintf(out->domain, sizeof(out->domain), "%s",
				 DEFAULT_DOMAIN);
		else if (copy_span(out->domain, sizeof(out->domain), s, dlen))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': repository name must not "
					       "be more than %d characters",
					       s, NAME_TOTAL_MAX);
	} else {
		snprintf(out->domain, sizeof(out->domain), "%s",
			 DEFAULT_DOMAIN);
		rem = s;
	}

	/* the remainder: path [":" tag] ["@" digest] */
	at = strchr(rem, '@');
	name_end = at ? at : rem + strlen(rem);
	colon = memchr(rem, ':', (size_t)(name_end - rem));
	plen = (size_t)((colon ? colon : name_end) - rem);
	for (i = 0; i < plen; i++)
		if (rem[i] >= 'A' && rem[i] <= 'Z')
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': invalid reference "
					       "format: repository name must "
					       "be lowercase",
					       s);
	if (!path_ok(rem, plen))
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%s': invalid reference format", s);
	if (!strcmp(out->domain, DEFAULT_DOMAIN) && !memchr(rem, '/', plen)) {
		if (plen + 8 >= sizeof(out->path))
			goto too_long;
		memcpy(out->path, "library/", 8);
		memcpy(out->path + 8, rem, plen);
		out->path[plen + 8] = '\0';
	} else if (copy_span(out->path, sizeof(out->path), rem, plen)) {
		goto too_long;
	}
	if (strlen(out->domain) + 1 + strlen(out->path) > NAME_TOTAL_MAX)
		goto too_long;
	if (colon) {
		size_t tlen = (size_t)(name_end - colon - 1);

		if (!tag_ok(colon + 1, tlen))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': invalid reference format",
					       s);
		copy_span(out->tag, sizeof(out->tag), colon + 1, tlen);
	}
	if (at) {
		size_t dl = strlen(at + 1);

		if (!digest_ok(at + 1, dl) || dl >= sizeof(out->digest))
			return drydock_err_set(err, DRYDOCK_EUSAGE,
					       "'%s': invalid reference format",
					       s);
		copy_span(out->digest, sizeof(out->digest), at + 1, dl);
	}
	return 0;
too_long:
	return drydock_err_set(err, DRYDOCK_EUSAGE,
			       "'%.80s': repository name must not be more "
			       "than %d characters",
			       s, NAME_TOTAL_MAX);
}

int drydock_registry_ref_format(const struct drydock_registry_ref *r,
				int familiar, char *out, size_t outsz)
{
	const char *path = r->path;
	int n;

	if (familiar && !strcmp(r->domain, DEFAULT_DOMAIN)) {
		if (!strncmp(path, "library/", 8) && !strchr(path + 8, '/'))
			path += 8;
		n = snprintf(out, outsz, "%s", path);
	} else {
		n = snprintf(out, outsz, "%s/%s", r->domain, path);
	}
	if (n < 0 || (size_t)n >= outsz)
		return -1;
	if (r->tag[0]) {
		int m = snprintf(out + n, outsz - (size_t)n, ":%s", r->tag);

		if (m < 0 || (size_t)m >= outsz - (size_t)n)
			return -1;
		n += m;
	}
	if (r->digest[0]) {
		int m = snprintf(out + n, outsz - (size_t)n, "@%s", r->digest);

		if (m < 0 || (size_t)m >= outsz - (size_t)n)
			return -1;
	}
	return 0;
}

const char *drydock_registry_ref_ref(const struct drydock_registry_ref *r)
{
	if (r->digest[0])
		return r->digest;
	if (r->tag[0])
		return r->tag;
	return "latest";
}

const char *drydock_registry_api_host(const char *domain)
{
	if (!strcmp(domain, DEFAULT_DOMAIN))
		return DEFAULT_API_HOST;
	return domain;
}
