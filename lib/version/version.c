#include "../util/setup.h"

#include "drydock/error.h"
#include "drydock/limits.h"
#include "drydock/version.h"

#include "internal.h"

int drydock_version_type_from_name(const char *name,
				   enum drydock_version_type *out,
				   struct drydock_err *err)
{
	if (name && !strcmp(name, "deb"))
		*out = DRYDOCK_VERSION_DEB;
	else if (name && !strcmp(name, "apk"))
		*out = DRYDOCK_VERSION_APK;
	else if (name && !strcmp(name, "rpm"))
		*out = DRYDOCK_VERSION_RPM;
	else
		return drydock_err_set(err, DRYDOCK_EUSAGE,
				       "'%.64s': not a version type (deb, apk "
				       "or rpm)",
				       name ? name : "");
	return 0;
}

const char *drydock_version_type_name(enum drydock_version_type t)
{
	switch (t) {
	case DRYDOCK_VERSION_DEB:
		return "deb";
	case DRYDOCK_VERSION_APK:
		return "apk";
	case DRYDOCK_VERSION_RPM:
		return "rpm";
	}
	return "?";
}

int drydock_version_valid(enum drydock_version_type t, const char *s,
			  struct drydock_err *err)
{
	switch (t) {
	case DRYDOCK_VERSION_DEB:
		return drydock_deb_valid(s, err);
	case DRYDOCK_VERSION_APK:
		return drydock_apk_valid(s, err);
	case DRYDOCK_VERSION_RPM:
		return drydock_rpm_evr_valid(s, err);
	}
	return drydock_err_set(err, DRYDOCK_EUSAGE, "unknown version type %d",
			       (int)t);
}

int drydock_version_compare(enum drydock_version_type t, const char *a,
			    const char *b, int *out, struct drydock_err *err)
{
	switch (t) {
	case DRYDOCK_VERSION_DEB:
		return drydock_deb_compare(a, b, out, err);
	case DRYDOCK_VERSION_APK:
		return drydock_apk_compare(a, b, out, err);
	case DRYDOCK_VERSION_RPM:
		return drydock_rpm_evr_compare(a, b, out, err);
	}
	return drydock_err_set(err, DRYDOCK_EUSAGE, "unknown version type %d",
			       (int)t);
}

int version_length(const char *s, size_t *len, struct drydock_err *err)
{
	size_t n;

	if (!s)
		return drydock_err_set(err, DRYDOCK_EUSAGE, "no version given");
	n = strnlen(s, DRYDOCK_MAX_VERSION_LEN + 1);
	if (n > DRYDOCK_MAX_VERSION_LEN)
		return drydock_err_set(err, DRYDOCK_ELIMIT,
				       "'%.40s...': version longer than %u "
				       "bytes (DRYDOCK_MAX_VERSION_LEN)",
				       s, (unsigned)DRYDOCK_MAX_VERSION_LEN);
	*len = n;
	return 0;
}
