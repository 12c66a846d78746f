#include "setup.h"

#include <dlfcn.h>
#include <pthread.h>

#include "dl.h"
#include "archivedl.h"

struct drydock_archive_api drydock_archive;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc = -1;
static const char *load_why = "libarchive not loaded";

static void load(void)
{
	struct drydock_archive_api api;
	void *lib = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		load_why = "libarchive (libarchive.so.13) cannot be loaded";
		return;
	}
	memset(&api, 0, sizeof(api));
	if (DRYDOCK_DL_FN(error_string, archive_error_string) ||
	    DRYDOCK_DL_FN(set_error, archive_set_error) ||
	    DRYDOCK_DL_FN(format, archive_format) ||
	    DRYDOCK_DL_FN(read_new, archive_read_new) ||
	    DRYDOCK_DL_FN(read_support_filter_all,
			  archive_read_support_filter_all) ||
	    DRYDOCK_DL_FN(read_support_filter_gzip,
			  archive_read_support_filter_gzip) ||
	    DRYDOCK_DL_FN(read_support_filter_zstd,
			  archive_read_support_filter_zstd) ||
	    DRYDOCK_DL_FN(read_support_format_tar,
			  archive_read_support_format_tar) ||
	    DRYDOCK_DL_FN(read_support_format_zip,
			  archive_read_support_format_zip) ||
	    DRYDOCK_DL_FN(read_support_format_raw,
			  archive_read_support_format_raw) ||
	    DRYDOCK_DL_FN(read_open, archive_read_open) ||
	    DRYDOCK_DL_FN(read_open_filename, archive_read_open_filename) ||
	    DRYDOCK_DL_FN(read_next_header, archive_read_next_header) ||
	    DRYDOCK_DL_FN(read_data, archive_read_data) ||
	    DRYDOCK_DL_FN(read_data_skip, archive_read_data_skip) ||
	    DRYDOCK_DL_FN(read_data_into_fd, archive_read_data_into_fd) ||
	    DRYDOCK_DL_FN(read_free, archive_read_free) ||
	    DRYDOCK_DL_FN(write_new, archive_write_new) ||
	    DRYDOCK_DL_FN(write_set_format_pax_restricted,
			  archive_write_set_format_pax_restricted) ||
	    DRYDOCK_DL_FN(write_open_filename, archive_write_open_filename) ||
	    DRYDOCK_DL_FN(write_header, archive_write_header) ||
	    DRYDOCK_DL_FN(write_data, archive_write_data) ||
	    DRYDOCK_DL_FN(write_close, archive_write_close) ||
	    DRYDOCK_DL_FN(write_free, archive_write_free) ||
	    DRYDOCK_DL_FN(entry_new, archive_entry_new) ||
	    DRYDOCK_DL_FN(entry_free, archive_entry_free) ||
	    DRYDOCK_DL_FN(entry_pathname, archive_entry_pathname) ||
	    DRYDOCK_DL_FN(entry_symlink, archive_entry_symlink) ||
	    DRYDOCK_DL_FN(entry_hardlink, archive_entry_hardlink) ||
	    DRYDOCK_DL_FN(entry_filetype, archive_entry_filetype) ||
	    DRYDOCK_DL_FN(entry_size, archive_entry_size) ||
	    DRYDOCK_DL_FN(entry_set_pathname, archive_entry_set_pathname) ||
	    DRYDOCK_DL_FN(entry_set_filetype, archive_entry_set_filetype) ||
	    DRYDOCK_DL_FN(entry_set_perm, archive_entry_set_perm) ||
	    DRYDOCK_DL_FN(entry_set_size, archive_entry_set_size) ||
	    DRYDOCK_DL_FN(entry_set_mtime, archive_entry_set_mtime)) {
		load_why = "libarchive (libarchive.so.13) lacks a function "
			   "drydock needs";
		return; /* the library stays loaded: it may be in use */
	}
	drydock_archive = api;
	load_rc = 0;
	load_why = NULL;
}

int drydock_archive_load(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = load_why;
	return load_rc;
}
