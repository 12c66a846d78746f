#include "setup.h"

#include <dlfcn.h>
#include <pthread.h>

#include "archivedl.h"

struct drydock_archive_api drydock_archive;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc = -1;
static const char *load_why = "libarchive not loaded";

/* dlsym returns void *; POSIX guarantees it converts to a function
 * pointer, and the memcpy keeps -Wpedantic quiet. */
static int sym(void *lib, const char *name, void *slot, size_t size)
{
	void *p = dlsym(lib, name);

	if (!p)
		return -1;
	memcpy(slot, &p, size);
	return 0;
}

/* The assignment inside sizeof is never evaluated (no reference to the
 * symbol reaches the linker), but the compiler checks that the field's
 * type matches the function's prototype in the header. */
#define SYM(field, fn)                                                         \
	(sizeof(api.field = fn) && sym(lib, #fn, &api.field, sizeof(api.field)))

static void load(void)
{
	struct drydock_archive_api api;
	void *lib = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		load_why = "libarchive (libarchive.so.13) cannot be loaded";
		return;
	}
	memset(&api, 0, sizeof(api));
	if (SYM(error_string, archive_error_string) ||
	    SYM(set_error, archive_set_error) || SYM(format, archive_format) ||
	    SYM(read_new, archive_read_new) ||
	    SYM(read_support_filter_all, archive_read_support_filter_all) ||
	    SYM(read_support_filter_gzip, archive_read_support_filter_gzip) ||
	    SYM(read_support_filter_zstd, archive_read_support_filter_zstd) ||
	    SYM(read_support_format_tar, archive_read_support_format_tar) ||
	    SYM(read_support_format_zip, archive_read_support_format_zip) ||
	    SYM(read_support_format_raw, archive_read_support_format_raw) ||
	    SYM(read_open, archive_read_open) ||
	    SYM(read_open_filename, archive_read_open_filename) ||
	    SYM(read_next_header, archive_read_next_header) ||
	    SYM(read_data, archive_read_data) ||
	    SYM(read_data_skip, archive_read_data_skip) ||
	    SYM(read_data_into_fd, archive_read_data_into_fd) ||
	    SYM(read_free, archive_read_free) ||
	    SYM(write_new, archive_write_new) ||
	    SYM(write_set_format_pax_restricted,
		archive_write_set_format_pax_restricted) ||
	    SYM(write_open_filename, archive_write_open_filename) ||
	    SYM(write_header, archive_write_header) ||
	    SYM(write_data, archive_write_data) ||
	    SYM(write_close, archive_write_close) ||
	    SYM(write_free, archive_write_free) ||
	    SYM(entry_new, archive_entry_new) ||
	    SYM(entry_free, archive_entry_free) ||
	    SYM(entry_pathname, archive_entry_pathname) ||
	    SYM(entry_symlink, archive_entry_symlink) ||
	    SYM(entry_hardlink, archive_entry_hardlink) ||
	    SYM(entry_filetype, archive_entry_filetype) ||
	    SYM(entry_size, archive_entry_size) ||
	    SYM(entry_set_pathname, archive_entry_set_pathname) ||
	    SYM(entry_set_filetype, archive_entry_set_filetype) ||
	    SYM(entry_set_perm, archive_entry_set_perm) ||
	    SYM(entry_set_size, archive_entry_set_size) ||
	    SYM(entry_set_mtime, archive_entry_set_mtime)) {
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
