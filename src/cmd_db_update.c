#include "../lib/util/setup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/strnum.h"
#include "drydock/vulndb.h"
#include "cmd.h"

static const struct cmd_opt opts[] = {
	{"db", 0, "FILE",
	 "the database (default: $DRYDOCK_DB, else "
	 "$XDG_CACHE_HOME/drydock/vuln.db)"},
	{"source", 0, "NAME=URL",
	 "fetch source NAME from URL (repeat for several URLs); replaces the "
	 "source's default URLs, e.g. with a mirror"},
	{"config", 0, "FILE",
	 "sources file (default: $XDG_CONFIG_HOME/drydock/feeds.conf)"},
	{"cache-dir", 0, "DIR",
	 "where downloads are kept (default: feeds/ beside the database)"},
	{"offline", 0, NULL,
	 "never use the network: rebuild from earlier downloads only"},
	{"retries", 0, "N", "retries of a failed request (default 5)"},
	{"quiet", 'q', NULL, "print nothing but errors"},
	{NULL, 0, NULL, NULL},
};

int cmd_db_update(int argc, char **argv);

const struct cmd cmd_db_update_spec = {
	"db update",
	"[--db FILE] [--source NAME=URL]... [--offline] [NAME...]",
	"fetch the vulnerability feeds and rebuild the database",
	"Fetches every source's URLs over HTTPS (or only the sources NAMEd),\n"
	"with conditional requests (ETag, Last-Modified) so an unchanged feed\n"
	"is not downloaded again, retries with backoff on network errors,\n"
	"429 and 5xx, and rebuilds the database with the sources that\n"
	"changed, atomically. Nothing changed: the database is left as is.\n"
	"Default sources and URLs: see docs/vulndb.md. A sources file holds\n"
	"lines 'NAME URL [FORMAT]' ('#' comments; 'NAME off' drops a\n"
	"source); its URLs for a NAME replace the defaults, and --source\n"
	"replaces both. Progress is shown on a terminal (stderr).",
	opts,
	cmd_db_update,
};

struct src {
	char *name;
	char *format;
	char **urls;
	size_t n;
	int level; /* who set the URLs: 0 defaults, 1 file, 2 --source */
	int off;
	int selected;
};

struct srclist {
	struct src *v;
	size_t n;
};

static struct src *find_src(struct srclist *l, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].name) == len &&
		    !memcmp(l->v[i].name, name, len))
			return &l->v[i];
	return NULL;
}

static struct src *get_src(struct srclist *l, const char *name, size_t len)
{
	struct src *s = find_src(l, name, len), *nv;

	if (s)
		return s;
	nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	l->v = nv;
	s = &l->v[l->n];
	memset(s, 0, sizeof(*s));
	s->name = strndup(name, len);
	if (!s->name)
		return NULL;
	l->n++;
	return s;
}

static int add_url(struct src *s, const char *url, size_t len, int level)
{
	char **nv;
	size_t i;

	if (s->level < level) {
		for (i = 0; i < s->n; i++)
			free(s->urls[i]);
		s->n = 0;
		s->level = level;
		s->off = 0;
	}
	if (s->n >= DRYDOCK_MAX_FEED_URLS)
		return -1;
	nv = realloc(s->urls, (s->n + 2) * sizeof(*nv));
	if (!nv)
		return -1;
	s->urls = nv;
	s->urls[s->n] = strndup(url, len);
	if (!s->urls[s->n])
		return -1;
	s->urls[++s->n] = NULL;
	return 0;
}

static void free_list(struct srclist *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->v[i].n; j++)
			free(l->v[i].urls[j]);
		free(l->v[i].urls);
		free(l->v[i].name);
		free(l->v[i].format);
	}
	free(l->v);
}

static int valid_url(const char *u, size_t n)
{
	return (n > 8 && !strncmp(u, "https://", 8)) ||
	       (n > 7 && !strncmp(u, "http://", 7));
}

/* Read "NAME URL [FORMAT]" lines. A missing default file is no error. */
static int read_config(struct srclist *l, const char *path, int required)
{
	char line[8192];
	FILE *f = fopen(path, "re");
	int lineno = 0, rc = 0;

	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		cmd_error("'%s': %s", path, strerror(errno));
		return EXIT_CANNOT;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tok[4], *p = line, *save = NULL;
		size_t nt = 0;
		struct src *s;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			cmd_error("'%s': line %d: too long", path, lineno);
			rc = EXIT_CANNOT;
			break;
		}
		if ((p = strchr(line, '#')))
			*p = '\0';
		for (p = strtok_r(line, " \t\r\n", &save); p && nt < 4;
		     p = strtok_r(NULL, " \t\r\n", &save))
			tok[nt++] = p;
		if (!nt)
			continue;
		if (nt < 2 || nt > 3) {
			cmd_error("'%s': line %d: expected 'NAME URL [FORMAT]'",
				  path, lineno);
			rc = EXIT_CANNOT;
			break;
		}
		s = get_src(l, tok[0], strlen(tok[0]));
		if (!s) {
			rc = EXIT_CANNOT;
			break;
		}
		if (!strcmp(tok[1], "off")) {
			s->off = 1;
			continue;
		}
		if (!valid_url(tok[1], strlen(tok[1]))) {
			cmd_error("'%s': line %d: '%s' is not an http(s) URL",
				  path, lineno, tok[1]);
			rc = EXIT_CANNOT;
			break;
		}
		if (nt == 3) {
			if (!drydock_importer_find(tok[2])) {
				cmd_error("'%s': line %d: unknown format '%s'",
					  path, lineno, tok[2]);
				rc = EXIT_CANNOT;
				break;
			}
			free(s->format);
			s->format = strdup(tok[2]);
		}
		if (add_url(s, tok[1], strlen(tok[1]), 1)) {
			cmd_error("'%s': line %d: too many URLs for '%s'", path,
				  lineno, s->name);
			rc = EXIT_CANNOT;
			break;
		}
	}
	fclose(f);
	return rc;
}

struct ui {
	int tty;
	int quiet;
	struct timespec last;
	int dirty;
};

static const char *base_of(const char *url)
{
	const char *s = strrchr(url, '/');

	return s && s[1] ? s + 1 : url;
}

static void on_progress(void *payload, const char *source, const char *url,
			uint64_t now, uint64_t total)
{
	struct ui *u = payload;
	struct timespec t;
	long ms;

	if (!u->tty || u->quiet)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (t.tv_sec - u->last.tv_sec) * 1000 +
	     (t.tv_nsec - u->last.tv_nsec) / 1000000;
	if (ms < 100 && !(total && now == total))
		return;
	u->last = t;
	if (total)
		fprintf(stderr, "\r\033[K%s: %s: %.1f / %.1f MB", source,
			base_of(url), (double)now / 1e6, (double)total / 1e6);
	else
		fprintf(stderr, "\r\033[K%s: %s: %.1f MB", source, base_of(url),
			(double)now / 1e6);
	u->dirty = 1;
}

static void on_event(void *payload, const char *source, const char *url,
		     const char *what)
{
	struct ui *u = payload;
	int retry = !strncmp(what, "retrying", 8);

	if (u->quiet && !retry)
		return;
	if (!u->tty && !retry)
		return;
	if (u->dirty)
		fputs("\r\033[K", stderr);
	u->dirty = 0;
	fprintf(stderr, "%s: %s: %s\n", source, url, what);
}

int cmd_db_update(int argc, char **argv)
{
	const struct cmd *c = &cmd_db_update_spec;
	const struct drydock_feed_source *defs =
		drydock_vulndb_default_sources();
	struct drydock_feed_source *sel = NULL;
	struct drydock_update_result res;
	struct drydock_update_opts o;
	struct drydock_err err;
	struct srclist l = {NULL, 0};
	struct ui ui;
	const char *arg, *db = NULL, *config = NULL, *cache = NULL;
	char path[PATH_MAX], cachebuf[PATH_MAX], confbuf[PATH_MAX];
	const char **cmdsrc = NULL;
	size_t ncmdsrc = 0, i, nsel = 0;
	int oi = 1, r, rc = EXIT_CANNOT, quiet = 0, offline = 0, retries = -1;

	drydock_err_clear(&err);
	memset(&ui, 0, sizeof(ui));
	cmdsrc = calloc((size_t)argc, sizeof(*cmdsrc));
	if (!cmdsrc)
		return EXIT_CANNOT;
	while ((r = cmd_getopt(c, argc, argv, &oi, &arg)) != -1) {
		if (r == -3) {
			free(cmdsrc);
			return EXIT_PASS;
		}
		if (r < 0) {
			free(cmdsrc);
			return EXIT_CANNOT;
		}
		switch (r) {
		case 0:
			db = arg;
			break;
		case 1:
			cmdsrc[ncmdsrc++] = arg;
			break;
		case 2:
			config = arg;
			break;
		case 3:
			cache = arg;
			break;
		case 4:
			offline = 1;
			break;
		case 5: {
			uint64_t n;

			if (drydock_strnum_u64(arg, strlen(arg), 20, &n)) {
				free(cmdsrc);
				return cmd_usage_error(
					c, "--retries: a number from 0 to 20");
			}
			retries = (int)n;
			break;
		}
		case 6:
			quiet = 1;
			break;
		}
	}
	for (i = 0; defs[i].name; i++) {
		struct src *s = get_src(&l, defs[i].name, strlen(defs[i].name));
		size_t j;

		if (!s)
			goto out;
		s->format = strdup(defs[i].format);
		for (j = 0; defs[i].urls[j]; j++)
			if (add_url(s, defs[i].urls[j], strlen(defs[i].urls[j]),
				    0))
				goto out;
	}
	if (!config) {
		const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");

		if (x && *x == '/')
			snprintf(confbuf, sizeof(confbuf),
				 "%s/drydock/feeds.conf", x);
		else if (h && *h)
			snprintf(confbuf, sizeof(confbuf),
				 "%s/.config/drydock/feeds.conf", h);
		else
			confbuf[0] = '\0';
		if (confbuf[0] && read_config(&l, confbuf, 0))
			goto out;
	} else if (read_config(&l, config, 1)) {
		goto out;
	}
	for (i = 0; i < ncmdsrc; i++) {
		const char *eq = strchr(cmdsrc[i], '=');
		struct src *s;

		if (!eq || eq == cmdsrc[i] ||
		    !valid_url(eq + 1, strlen(eq + 1))) {
			rc = cmd_usage_error(c,
					     "--source '%s': expected "
					     "NAME=http(s)://URL",
					     cmdsrc[i]);
			goto out;
		}
		s = get_src(&l, cmdsrc[i], (size_t)(eq - cmdsrc[i]));
		if (!s || add_url(s, eq + 1, strlen(eq + 1), 2)) {
			rc = cmd_usage_error(c, "--source: too many URLs");
			goto out;
		}
	}
	if (oi < argc) {
		for (; oi < argc; oi++) {
			struct src *s =
				find_src(&l, argv[oi], strlen(argv[oi]));

			if (!s || s->off || !s->n) {
				rc = cmd_usage_error(c, "no source '%s'",
						     argv[oi]);
				goto out;
			}
			s->selected = 1;
		}
	} else {
		for (i = 0; i < l.n; i++)
			l.v[i].selected = !l.v[i].off && l.v[i].n;
	}
	sel = calloc(l.n + 1, sizeof(*sel));
	if (!sel)
		goto out;
	for (i = 0; i < l.n; i++) {
		if (!l.v[i].selected)
			continue;
		sel[nsel].name = l.v[i].name;
		sel[nsel].format = l.v[i].format;
		sel[nsel].urls = (const char *const *)l.v[i].urls;
		nsel++;
	}
	if (!nsel) {
		cmd_error("no source to update");
		goto out;
	}
	if (!db) {
		if (drydock_vulndb_default_path(path, sizeof(path), &err)) {
			rc = cmd_fail(&err);
			goto out;
		}
		db = path;
	}
	if (!cache) {
		const char *slash = strrchr(db, '/');

		if (slash)
			snprintf(cachebuf, sizeof(cachebuf), "%.*s/feeds",
				 (int)(slash - db), db);
		else
			snprintf(cachebuf, sizeof(cachebuf), "feeds");
		cache = cachebuf;
	}
	ui.tty = isatty(2);
	ui.quiet = quiet;
	memset(&o, 0, sizeof(o));
	o.db_path = db;
	o.cache_dir = cache;
	o.offline = offline;
	o.retries = retries;
	o.progress = on_progress;
	o.event = on_event;
	o.payload = &ui;
	r = drydock_vulndb_update(&o, sel, nsel, &res, &err);
	if (ui.dirty)
		fputs("\r\033[K", stderr);
	if (r) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (!quiet) {
		if (res.rebuilt)
			fprintf(stderr,
				"updated %u source%s (%u downloaded, %u not "
				"modified; %llu advisories, %llu "
				"vulnerability records) in '%s'\n",
				res.sources_changed,
				res.sources_changed == 1 ? "" : "s",
				res.downloads, res.not_modified,
				(unsigned long long)res.stats.advisories,
				(unsigned long long)res.stats.vulns, db);
		else
			fprintf(stderr,
				"'%s' is up to date (%u source%s not "
				"modified)\n",
				db, res.sources_unchanged,
				res.sources_unchanged == 1 ? "" : "s");
	}
	rc = EXIT_PASS;
out:
	free(sel);
	free(cmdsrc);
	free_list(&l);
	return rc;
}
