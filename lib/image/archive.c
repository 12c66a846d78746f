#include "../util/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/strnum.h"
#include "internal.h"

/*
 * The outer archive of docker-archive and oci-archive sources: a tar,
 * plain or gzip-compressed. A first pass indexes the members (name, type,
 * link target, data offset and size). A plain tar is then read by offset
 * (pread), so layers can be read in parallel without unpacking anything;
 * a compressed one keeps its small JSON members in memory during the
 * first pass and is streamed again for the layers.
 *
 * Only what archives written by docker, podman, skopeo, umoci and
 * go-containerregistry use is understood: ustar (with prefix), GNU long
 * names, pax path/linkpath/size records.
 */

/* A tar stream: sequential reads with an offset count. */
struct ts {
	struct rd *in;
	uint64_t pos; /* bytes consumed */
	const char *name;
};

static int ts_read(struct ts *t, void *buf, size_t n, struct drydock_err *err)
{
	size_t got = 0;

	while (got < n) {
		long r = t->in->read(t->in, (char *)buf + got, n - got, err);

		if (r < 0)
			return (int)r;
		if (r == 0)
			return drydock_err_set(
				err, DRYDOCK_ECORRUPT,
				"'%s': truncated tar at byte "
				"%llu",
				t->name, (unsigned long long)(t->pos + got));
		got += (size_t)r;
	}
	t->pos += n;
	return 0;
}

static int ts_skip(struct ts *t, uint64_t n, struct drydock_err *err)
{
	char buf[16384];

	while (n > 0) {
		size_t k = n > sizeof(buf) ? sizeof(buf) : (size_t)n;
		int rc = ts_read(t, buf, k, err);

		if (rc < 0)
			return rc;
		n -= k;
	}
	return 0;
}

static int octal(const char *f, size_t len, uint64_t *out)
{
	size_t i = 0, j;

	if (len && ((unsigned char)f[0] & 0x80)) {
		/* base-256: big-endian, positive only */
		uint64_t v = (unsigned char)f[0] & 0x7f;

		if (v)
			return -1;
		for (i = 1; i < len; i++) {
			if (v >> 55)
				return -1;
			v = (v << 8) | (unsigned char)f[i];
		}
		*out = v;
		return 0;
	}
	while (i < len && f[i] == ' ')
		i++;
	j = i;
	while (j < len && f[j] >= '0' && f[j] <= '7')
		j++;
	if (j == i) {
		*out = 0;
		return 0;
	}
	{
		uint64_t v = 0;
		size_t k;

		for (k = i; k < j; k++) {
			if (v >> 60)
				return -1;
			v = v * 8 + (uint64_t)(f[k] - '0');
		}
		*out = v;
	}
	return 0;
}

static int checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned long sum = 0;
	int i;

	if (octal((const char *)h + 148, 8, &want) < 0)
		return 0;
	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

/* pax records: "LEN key=value\n" */
static int pax(const char *d, size_t n, char **path, char **link,
	       uint64_t *size, int *has_size)
{
	size_t p = 0;

	while (p < n) {
		size_t q = p, len;
		uint64_t l;
		const char *kv, *eq;

		while (q < n && d[q] >= '0' && d[q] <= '9')
			q++;
		if (q == p || q >= n || d[q] != ' ' ||
		    drydock_strnum_u64(d + p, q - p, n - p, &l) < 0 ||
		    l < q - p + 2)
			return -1;
		len = (size_t)l;
		if (d[p + len - 1] != '\n')
			return -1;
		kv = d + q + 1;
		eq = memchr(kv, '=', (size_t)(d + p + len - 1 - kv));
		if (!eq)
			return -1;
		{
			size_t kl = (size_t)(eq - kv);
			size_t vl = (size_t)(d + p + len - 1 - (eq + 1));
			char **dst = NULL;

			if (kl == 4 && memcmp(kv, "path", 4) == 0)
				dst = path;
			else if (kl == 8 && memcmp(kv, "linkpath", 8) == 0)
				dst = link;
			else if (kl == 4 && memcmp(kv, "size", 4) == 0) {
				if (drydock_strnum_u64(eq + 1, vl, UINT64_MAX,
						       size) < 0)
					return -1;
				*has_size = 1;
			}
			if (dst) {
				free(*dst);
				*dst = strndup(eq + 1, vl);
				if (!*dst)
					return -1;
			}
		}
		p += len;
	}
	return 0;
}

static int add_member(struct arch *a, const char *rawname, const char *link,
		      int typeflag, uint64_t off, uint64_t size,
		      struct drydock_err *err)
{
	char name[DRYDOCK_MAX_PATH];
	struct member *m;

	if (a->n >= DRYDOCK_MAX_ARCHIVE_ENTRIES)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': more than %d members "
				       "(DRYDOCK_MAX_ARCHIVE_ENTRIES)",
				       a->path, DRYDOCK_MAX_ARCHIVE_ENTRIES);
	if (drydock_fs_normalize(rawname, name, sizeof(name)) < 0)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': member '%.200s' leaves the root",
				       a->path, rawname);
	if (!*name)
		return 0;
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 32;
		struct member *p = realloc(a->m, nc * sizeof(*p));

		if (!p)
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		a->m = p;
		a->cap = nc;
	}
	m = &a->m[a->n];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	m->link = link ? strdup(link) : NULL;
	if (!m->name || (link && !m->link)) {
		free(m->name);
		free(m->link);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	switch (typeflag) {
	case '0':
	case '\0':
	case '7':
		m->type = M_FILE;
		break;
	case '1':
		m->type = M_LINK;
		break;
	case '2':
		m->type = M_SYMLINK;
		break;
	case '5':
		m->type = M_DIR;
		break;
	default:
		m->type = M_OTHER;
	}
	m->off = off;
	m->size = size;
	a->n++;
	return 0;
}

/* Whether a compressed archive's member is worth keeping in memory
 * during the first pass: the JSON documents a source needs. */
static int small_json(const char *name, uint64_t size)
{
	const char *base = strrchr(name, '/');

	if (size > DRYDOCK_MAX_CONFIG_BYTES)
		return 0;
	base = base ? base + 1 : name;
	if (strcmp(name, "manifest.json") == 0 ||
	    strcmp(name, "index.json") == 0 ||
	    strcmp(name, "oci-layout") == 0 ||
	    strcmp(name, "repositories") == 0)
		return 1;
	if (!strchr(name, '/') && strlen(name) > 5 &&
	    strcmp(name + strlen(name) - 5, ".json") == 0)
		return 1;
	/* blobs/<alg>/<hex>: configs and manifests; json_start() then
	 * tells them from layers by their first bytes */
	return strncmp(name, "blobs/", 6) == 0;
}

/* Whether a member's first bytes start a JSON object (blobs only; the
 * named documents are always kept). */
static int json_start(const char *name, const char *d, size_t n)
{
	size_t i = 0;

	if (strncmp(name, "blobs/", 6) != 0)
		return 1;
	while (i < n &&
	       (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
		i++;
	return i < n && d[i] == '{';
}

/*
 * Walk the tar. When fn is set (second pass), call it for the members
 * whose index is wanted[i] != 0 with a reader on their data.
 */
struct walk {
	struct arch *a;
	int index; /* first pass: record members */
	size_t meta_bytes;
	const char *const *names;
	size_t nnames;
	arch_member_fn fn;
	void *payload;
};

struct memrd {
	struct rd rd;
	struct ts *t;
	uint64_t left;
};

static long memrd_read(struct rd *r, void *buf, size_t n,
		       struct drydock_err *err)
{
	struct memrd *m = (struct memrd *)r;
	int rc;

	if (m->left == 0)
		return 0;
	if (n > m->left)
		n = (size_t)m->left;
	rc = ts_read(m->t, buf, n, err);
	if (rc < 0)
		return rc;
	m->left -= n;
	return (long)n;
}

static int walk(struct walk *w, struct rd *in, struct drydock_err *err)
{
	struct ts t = {in, 0, w->a->path};
	unsigned char h[512];
	char *lname = NULL, *llink = NULL, *pname = NULL, *plink = NULL;
	uint64_t psize = 0;
	int has_psize = 0, zeros = 0, rc = 0;
	size_t count = 0;

	for (;;) {
		uint64_t size, off, padded;
		char name[257], link[101];
		int type;
		const char *use_name, *use_link;
		size_t i;

		rc = ts_read(&t, h, 512, err);
		if (rc < 0) {
			/* a tar cut after its last member, without end
			 * blocks, is accepted */
			if (rc == DRYDOCK_ECORRUPT && count > 0 &&
			    t.pos % 512 == 0 && !lname && !pname) {
				rc = 0;
				drydock_err_clear(err);
			}
			break;
		}
		for (i = 0; i < 512 && h[i] == 0; i++)
			;
		if (i == 512) {
			if (++zeros == 2)
				break;
			continue;
		}
		zeros = 0;
		if (!checksum_ok(h)) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': bad tar header checksum at "
					     "byte %llu",
					     w->a->path,
					     (unsigned long long)(t.pos - 512));
			break;
		}
		if (++count > DRYDOCK_MAX_ARCHIVE_ENTRIES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': more than %d members "
					     "(DRYDOCK_MAX_ARCHIVE_ENTRIES)",
					     w->a->path,
					     DRYDOCK_MAX_ARCHIVE_ENTRIES);
			break;
		}
		if (octal((const char *)h + 124, 12, &size) < 0 ||
		    size > (1ull << 62)) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': bad member size at byte "
					     "%llu",
					     w->a->path,
					     (unsigned long long)(t.pos - 512));
			break;
		}
		type = h[156];
		if (has_psize)
			size = psize;
		off = t.pos;
		padded = (size + 511) & ~(uint64_t)511;
		if (type == 'L' || type == 'K' || type == 'x') {
			char *d;

			if (size > DRYDOCK_MAX_PATH * 4) {
				rc = drydock_err_set(err, DRYDOCK_ELIMIT,
						     "'%s': extended header of "
						     "%llu bytes",
						     w->a->path,
						     (unsigned long long)size);
				break;
			}
			d = malloc(padded + 1);
			if (!d) {
				rc = drydock_err_set(err, DRYDOCK_ENOMEM,
						     "out of memory");
				break;
			}
			rc = ts_read(&t, d, padded, err);
			if (rc < 0) {
				free(d);
				break;
			}
			d[size] = '\0';
			if (type == 'L') {
				free(lname);
				lname = strndup(d, size);
			} else if (type == 'K') {
				free(llink);
				llink = strndup(d, size);
			} else if (pax(d, size, &pname, &plink, &psize,
				       &has_psize) < 0) {
				free(d);
				rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
						     "'%s': bad pax header at "
						     "byte %llu",
						     w->a->path,
						     (unsigned long long)off);
				break;
			}
			free(d);
			continue;
		}
		if (type == 'g') {
			if ((rc = ts_skip(&t, padded, err)) < 0)
				break;
			continue;
		}
		if (type == 'S') {
			rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
					     "'%s': sparse member in an "
					     "image archive",
					     w->a->path);
			break;
		}
		/* ustar name: prefix "/" name */
		if (memcmp(h + 257, "ustar", 5) == 0 && h[345]) {
			snprintf(name, sizeof(name), "%.155s/%.100s",
				 (const char *)h + 345, (const char *)h);
		} else {
			snprintf(name, sizeof(name), "%.100s", (const char *)h);
		}
		snprintf(link, sizeof(link), "%.100s", (const char *)h + 157);
		use_name = pname ? pname : lname ? lname : name;
		use_link = plink ? plink : llink ? llink : link;
		if (w->index) {
			rc = add_member(w->a, use_name,
					(type == '1' || type == '2') ? use_link
								     : NULL,
					type, off, size, err);
			if (rc < 0)
				break;
			if (w->a->compressed && w->a->n > 0 &&
			    w->a->m[w->a->n - 1].type == M_FILE &&
			    small_json(w->a->m[w->a->n - 1].name, size) &&
			    w->meta_bytes + size <=
				    DRYDOCK_MAX_CONFIG_BYTES * 4) {
				struct member *m = &w->a->m[w->a->n - 1];
				size_t first =
					padded < 512 ? (size_t)padded : 512;

				m->data = malloc(padded + 1);
				if (!m->data) {
					rc = drydock_err_set(err,
							     DRYDOCK_ENOMEM,
							     "out of memory");
					break;
				}
				rc = ts_read(&t, m->data, first, err);
				if (rc < 0)
					break;
				padded -= first;
				/* a blob is kept only when it looks like JSON
				 * (a manifest or config, not a layer) */
				if (!json_start(m->name, m->data, first)) {
					free(m->data);
					m->data = NULL;
					goto skip_rest;
				}
				rc = ts_read(&t, m->data + first, padded, err);
				if (rc < 0)
					break;
				padded = 0;
				m->data[size] = '\0';
				w->meta_bytes += size;
			}
		} else if (w->fn &&
			   (type == '0' || type == '\0' || type == '7')) {
			char norm[DRYDOCK_MAX_PATH];

			if (drydock_fs_normalize(use_name, norm,
						 sizeof(norm)) == 0) {
				for (i = 0; i < w->nnames; i++) {
					struct memrd m;

					if (strcmp(w->names[i], norm) != 0)
						continue;
					m.rd.read = memrd_read;
					m.t = &t;
					m.left = size;
					rc = w->fn(i, &m.rd, w->payload, err);
					if (rc < 0)
						break;
					/* the rest of the member */
					if ((rc = ts_skip(&t, m.left, err)) < 0)
						break;
					padded -= size;
					break;
				}
				if (rc < 0)
					break;
			}
		}
	skip_rest:
		free(lname);
		free(llink);
		free(pname);
		free(plink);
		lname = llink = pname = plink = NULL;
		has_psize = 0;
		if (padded && (rc = ts_skip(&t, padded, err)) < 0)
			break;
	}
	free(lname);
	free(llink);
	free(pname);
	free(plink);
	return rc;
}

/* A plain tar is indexed by seeking: only headers are read. */
static int index_seek(struct arch *a, struct drydock_err *err)
{
	struct stat st;
	unsigned char h[512];
	uint64_t pos = 0, psize = 0;
	char *lname = NULL, *llink = NULL, *pname = NULL, *plink = NULL;
	int has_psize = 0, rc = 0, zeros = 0;
	size_t count = 0;

	if (fstat(a->fd, &st) < 0)
		return drydock_err_errno(err, errno, a->path);
	for (;;) {
		uint64_t size, padded;
		char name[257], link[101];
		const char *use_name, *use_link;
		ssize_t got;
		int type;
		size_t i;

		if (pos + 512 > (uint64_t)st.st_size) {
			if (count > 0 && pos == (uint64_t)st.st_size &&
			    !lname && !pname)
				break; /* no end blocks: accepted */
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': truncated tar at byte "
					     "%llu",
					     a->path, (unsigned long long)pos);
			break;
		}
		got = pread(a->fd, h, 512, (off_t)pos);
		if (got != 512) {
			rc = got < 0 ? drydock_err_errno(err, errno, a->path)
				     : drydock_err_set(err, DRYDOCK_ECORRUPT,
						       "'%s': short read",
						       a->path);
			break;
		}
		pos += 512;
		for (i = 0; i < 512 && h[i] == 0; i++)
			;
		if (i == 512) {
			if (++zeros == 2)
				break;
			continue;
		}
		zeros = 0;
		if (!checksum_ok(h)) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': bad tar header checksum at "
					     "byte %llu",
					     a->path,
					     (unsigned long long)(pos - 512));
			break;
		}
		if (++count > DRYDOCK_MAX_ARCHIVE_ENTRIES) {
			rc = drydock_err_set(err, DRYDOCK_ELIMIT,
					     "'%s': more than %d members "
					     "(DRYDOCK_MAX_ARCHIVE_ENTRIES)",
					     a->path,
					     DRYDOCK_MAX_ARCHIVE_ENTRIES);
			break;
		}
		if (octal((const char *)h + 124, 12, &size) < 0 ||
		    size > (1ull << 62)) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': bad member size at byte "
					     "%llu",
					     a->path,
					     (unsigned long long)(pos - 512));
			break;
		}
		type = h[156];
		if (has_psize)
			size = psize;
		padded = (size + 511) & ~(uint64_t)511;
		if (padded > (uint64_t)st.st_size - pos) {
			rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
					     "'%s': truncated tar: member at "
					     "byte %llu runs past the end",
					     a->path,
					     (unsigned long long)(pos - 512));
			break;
		}
		if (type == 'L' || type == 'K' || type == 'x') {
			char *d;

			if (size > DRYDOCK_MAX_PATH * 4) {
				rc = drydock_err_set(err, DRYDOCK_ELIMIT,
						     "'%s': extended header of "
						     "%llu bytes",
						     a->path,
						     (unsigned long long)size);
				break;
			}
			d = malloc(size + 1);
			if (!d) {
				rc = drydock_err_set(err, DRYDOCK_ENOMEM,
						     "out of memory");
				break;
			}
			got = pread(a->fd, d, size, (off_t)pos);
			if (got < 0 || (uint64_t)got != size) {
				free(d);
				rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
						     "'%s': short read",
						     a->path);
				break;
			}
			d[size] = '\0';
			if (type == 'L') {
				free(lname);
				lname = strndup(d, size);
			} else if (type == 'K') {
				free(llink);
				llink = strndup(d, size);
			} else if (pax(d, size, &pname, &plink, &psize,
				       &has_psize) < 0) {
				free(d);
				rc = drydock_err_set(err, DRYDOCK_ECORRUPT,
						     "'%s': bad pax header at "
						     "byte %llu",
						     a->path,
						     (unsigned long long)pos);
				break;
			}
			free(d);
			pos += padded;
			continue;
		}
		if (type == 'g') {
			pos += padded;
			continue;
		}
		if (type == 'S') {
			rc = drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
					     "'%s': sparse member in an "
					     "image archive",
					     a->path);
			break;
		}
		if (memcmp(h + 257, "ustar", 5) == 0 && h[345])
			snprintf(name, sizeof(name), "%.155s/%.100s",
				 (const char *)h + 345, (const char *)h);
		else
			snprintf(name, sizeof(name), "%.100s", (const char *)h);
		snprintf(link, sizeof(link), "%.100s", (const char *)h + 157);
		use_name = pname ? pname : lname ? lname : name;
		use_link = plink ? plink : llink ? llink : link;
		rc = add_member(a, use_name,
				(type == '1' || type == '2') ? use_link : NULL,
				type, pos, size, err);
		if (rc < 0)
			break;
		free(lname);
		free(llink);
		free(pname);
		free(plink);
		lname = llink = pname = plink = NULL;
		has_psize = 0;
		pos += padded;
	}
	free(lname);
	free(llink);
	free(pname);
	free(plink);
	return rc;
}

int arch_open(struct arch **out, const char *path, struct drydock_err *err)
{
	struct arch *a = calloc(1, sizeof(*a));
	unsigned char magic[2];
	ssize_t got;
	int rc;

	*out = NULL;
	if (!a)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	a->fd = -1;
	a->path = strdup(path);
	if (!a->path) {
		arch_free(a);
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	}
	a->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (a->fd < 0) {
		rc = errno == ENOENT
			     ? drydock_err_set(err, DRYDOCK_ENOTFOUND,
					       "'%s': no such file", path)
			     : drydock_err_errno(err, errno, path);
		arch_free(a);
		return rc;
	}
	got = pread(a->fd, magic, 2, 0);
	if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
		a->compressed = 1;
	if (a->compressed) {
		struct fdrange fr;
		struct stat st;
		struct dec *d;
		struct walk w;

		if (fstat(a->fd, &st) < 0) {
			rc = drydock_err_errno(err, errno, path);
			arch_free(a);
			return rc;
		}
		fdrange_init(&fr, a->fd, 0, (uint64_t)st.st_size, a->path);
		if (dec_new(&d, &fr.rd, a->path, 0) < 0) {
			arch_free(a);
			return drydock_err_set(err, DRYDOCK_ENOMEM,
					       "out of memory");
		}
		memset(&w, 0, sizeof(w));
		w.a = a;
		w.index = 1;
		rc = walk(&w, dec_rd(d), err);
		dec_free(d);
	} else {
		rc = index_seek(a, err);
	}
	if (rc < 0) {
		arch_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void arch_free(struct arch *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->m[i].name);
		free(a->m[i].link);
		free(a->m[i].data);
	}
	free(a->m);
	if (a->fd >= 0)
		close(a->fd);
	free(a->path);
	free(a);
}

static const struct member *find_exact(const struct arch *a, const char *p)
{
	size_t i;

	/* the last member of a name wins, as when extracting */
	for (i = a->n; i > 0; i--)
		if (strcmp(a->m[i - 1].name, p) == 0)
			return &a->m[i - 1];
	return NULL;
}

const struct member *arch_find(const struct arch *a, const char *path)
{
	char cur[DRYDOCK_MAX_PATH], tmp[2 * DRYDOCK_MAX_PATH];
	int hops;

	if (drydock_fs_normalize(path, cur, sizeof(cur)) < 0)
		return NULL;
	for (hops = 0; hops <= DRYDOCK_MAX_SYMLINK_HOPS; hops++) {
		const struct member *m = find_exact(a, cur);
		const char *slash;

		if (!m)
			return NULL;
		if (m->type == M_FILE)
			return m;
		if (m->type == M_LINK && m->link) {
			/* hard link: the target's name from the root */
			if (drydock_fs_normalize(m->link, cur, sizeof(cur)) < 0)
				return NULL;
			continue;
		}
		if (m->type != M_SYMLINK || !m->link)
			return NULL;
		if (m->link[0] == '/')
			return NULL; /* outside the archive */
		slash = strrchr(cur, '/');
		snprintf(tmp, sizeof(tmp), "%.*s%s%s",
			 slash ? (int)(slash - cur) : 0, cur, slash ? "/" : "",
			 m->link);
		if (drydock_fs_normalize(tmp, cur, sizeof(cur)) < 0)
			return NULL;
	}
	return NULL;
}

int arch_read(const struct arch *a, const char *path, size_t max,
	      struct drydock_buf *out, struct drydock_err *err)
{
	const struct member *m = arch_find(a, path);
	ssize_t got;
	int rc;

	if (!m)
		return drydock_err_set(err, DRYDOCK_ENOTFOUND,
				       "'%s': no member '%s'", a->path, path);
	if (m->size > max)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%s': member '%s' is over %zu bytes",
				       a->path, path, max);
	if (a->compressed) {
		if (!m->data)
			return drydock_err_set(err, DRYDOCK_EUNSUPPORTED,
					       "'%s': member '%s' was not kept",
					       a->path, path);
		rc = drydock_buf_put(out, m->data, (size_t)m->size);
		return rc < 0 ? drydock_err_set(err, rc, "out of memory") : 0;
	}
	if ((rc = drydock_buf_grow(out, (size_t)m->size)) < 0)
		return drydock_err_set(err, rc, "out of memory");
	got = pread(a->fd, out->ptr + out->len, (size_t)m->size, (off_t)m->off);
	if (got < 0 || (uint64_t)got != m->size)
		return drydock_err_set(err, DRYDOCK_ECORRUPT,
				       "'%s': short read of '%s'", a->path,
				       path);
	out->len += (size_t)m->size;
	out->ptr[out->len] = '\0';
	return 0;
}

int arch_stream(const struct arch *a, const char *const *names, size_t n,
		arch_member_fn fn, void *payload, struct drydock_err *err)
{
	struct fdrange fr;
	struct stat st;
	struct dec *d;
	struct walk w;
	int rc;

	if (fstat(a->fd, &st) < 0)
		return drydock_err_errno(err, errno, a->path);
	fdrange_init(&fr, a->fd, 0, (uint64_t)st.st_size, a->path);
	if (dec_new(&d, &fr.rd, a->path, 0) < 0)
		return drydock_err_set(err, DRYDOCK_ENOMEM, "out of memory");
	memset(&w, 0, sizeof(w));
	w.a = (struct arch *)a;
	w.names = names;
	w.nnames = n;
	w.fn = fn;
	w.payload = payload;
	rc = walk(&w, dec_rd(d), err);
	dec_free(d);
	return rc;
}
