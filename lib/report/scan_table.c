#include "../util/setup.h"

#include <ctype.h>

#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/inventory.h"
#include "drydock/limits.h"
#include "drydock/match.h"
#include "scan_common.h"

/*
 * The table for people: a header naming the image and its OS, a summary
 * line, then findings grouped by package, the fixed version in its own
 * column. Colours (ANSI) only when rep->color.
 */

static const char *const colors[] = {
	"\033[90m",  /* unknown */
	"\033[90m",  /* negligible */
	"\033[34m",  /* low */
	"\033[33m",  /* medium */
	"\033[31m",  /* high */
	"\033[1;31m" /* critical */
};

static void upper(char *dst, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		dst[i] = (char)toupper((unsigned char)s[i]);
	dst[i] = '\0';
}

static const char *short_layer(const char *diff_id)
{
	static char out[20];
	const char *hex;

	if (!diff_id)
		return "-";
	hex = strchr(diff_id, ':');
	hex = hex ? hex + 1 : diff_id;
	snprintf(out, sizeof(out), "%.12s", hex);
	return out;
}

int drydock_scanrep_table(struct drydock_buf *out,
			  const struct drydock_scan_report *rep,
			  struct drydock_err *err)
{
	const struct drydock_match_result *r = rep->res;
	const struct drydock_os *os = &rep->inv->os;
	long long counts[6] = {0}, total = 0, suppressed = 0;
	size_t i, prev = (size_t)-1;
	int rc = 0, s;

	for (i = 0; i < r->n; i++) {
		int rank = drydock_severity_rank(r->findings[i].severity);

		if (r->findings[i].suppressed) {
			suppressed++;
			continue;
		}
		counts[rank < 0 ? 0 : rank]++;
		total++;
	}
	rc |= drydock_buf_printf(out, "%s", rep->name);
	if (rep->digest && *rep->digest)
		rc |= drydock_buf_printf(out, " (%s)", rep->digest);
	rc |= drydock_buf_printf(out, "\nos: %s %s%s%s, %zu packages\n",
				 *os->family ? os->family : "unknown",
				 os->version,
				 *r->namespace_ ? ", matched as " : "",
				 r->namespace_, rep->inv->npkgs);
	if (r->eol_passed)
		rc |= drydock_buf_printf(out,
					 "warning: %s reached end of life on "
					 "%s: it gets no more security fixes\n",
					 r->namespace_, r->eol);
	rc |= drydock_buf_printf(out, "\nTotal: %lld (", total);
	for (s = 5; s >= 0; s--)
		rc |= drydock_buf_printf(out, "%s%s: %lld", s == 5 ? "" : ", ",
					 drydock_severity_name(s), counts[s]);
	rc |= drydock_buf_printf(out, ")");
	if (suppressed)
		rc |= drydock_buf_printf(out, ", %lld suppressed", suppressed);
	rc |= drydock_buf_puts(out, "\n");

	for (i = 0; i < r->n; i++) {
		const struct drydock_finding *f = &r->findings[i];
		const struct drydock_pkg *p = &rep->inv->pkgs[f->pkg];
		char vbuf[DRYDOCK_MAX_VERSION_LEN + 24];
		char sev[16];
		int rank;

		if (!drydock_scanrep_visible(rep, f))
			continue;
		if (f->pkg != prev) {
			rc |= drydock_buf_printf(
				out, "\n%s %s (%s", p->name,
				drydock_scanrep_installed(p, vbuf,
							  sizeof(vbuf)),
				drydock_pkg_type_name(p->type));
			if (p->src_name && strcmp(p->src_name, p->name))
				rc |= drydock_buf_printf(out, ", source %s",
							 p->src_name);
			rc |= drydock_buf_printf(out, ") layer %s%s\n",
						 short_layer(p->layer_diff_id),
						 f->in_base == 1 ? " [base]"
								 : "");
			prev = f->pkg;
		}
		rank = drydock_severity_rank(f->severity);
		upper(sev, sizeof(sev), f->severity);
		rc |= drydock_buf_printf(
			out, "  %s%-10s%s %-20s %-28s %s",
			rep->color ? colors[rank < 0 ? 0 : rank] : "", sev,
			rep->color ? "\033[0m" : "", f->id,
			f->fixed_version ? f->fixed_version : f->status,
			f->title ? f->title : "");
		if (f->suppressed)
			rc |= drydock_buf_printf(out, " (suppressed: %s)",
						 f->suppressed);
		rc |= drydock_buf_putc(out, '\n');
	}
	if (rc)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "report larger than %zu bytes",
				       out->max);
	return 0;
}
