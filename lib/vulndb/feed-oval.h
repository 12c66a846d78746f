#ifndef DRYDOCK_VULNDB_FEED_OVAL_H
#define DRYDOCK_VULNDB_FEED_OVAL_H

/*
 * The OVAL engine shared by the Ubuntu and Red Hat OVAL importers
 * (lib/vulndb/feed_oval.c); not a public interface.
 */

#include <stddef.h>

struct drydock_err;
struct drydock_feed_sink;

struct oval_flavor {
	const char *data_source;  /* "ubuntu-oval", "redhat-oval" */
	const char *version_type; /* "deb", "rpm" */
	const char *advisory_ref; /* reference source of the advisory id */
	const char *cvss_rater;	  /* "ubuntu", "redhat" */
	/* the package test element ("dpkginfo_test", "rpminfo_test") */
	const char *test_name;
	/* a platform text -> namespace into ns; 0 or -1 */
	int (*platform_ns)(const char *platform, char *ns, size_t size);
	/* a definition id -> namespace, when no platform maps; may be NULL */
	int (*defid_ns)(const char *id, char *ns, size_t size);
	int strip_zero_epoch; /* "0:1.2-3" -> "1.2-3" (deb) */
};

/* Import from a file (streaming, two passes) or memory. */
int drydock_oval_parse_file(const struct oval_flavor *fl, const char *path,
			    const char *name,
			    const struct drydock_feed_sink *sink,
			    struct drydock_err *err);
int drydock_oval_parse_memory(const struct oval_flavor *fl, const char *data,
			      size_t len, const char *name,
			      const struct drydock_feed_sink *sink,
			      struct drydock_err *err);

#endif
