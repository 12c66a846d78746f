#ifndef DRYDOCK_ARCHIVEDL_H
#define DRYDOCK_ARCHIVEDL_H

/*
 * libarchive, loaded when first needed (internal to lib/).
 *
 * libarchive pulls in libxml2 (and through it ICU and libstdc++), nettle,
 * acl, lzma, lz4 and bz2: mapping and relocating them was about half of a
 * warm scan's start-up, and a warm scan reads its layers from the cache,
 * never through libarchive. So the functions lib/ uses are looked up in
 * libarchive.so.13 on first use, as lib/util/curldl.h does for libcurl.
 * The headers still come from libarchive's -dev package: the loader checks
 * every field's type against the prototype at build time.
 */

#include <archive.h>
#include <archive_entry.h>
#include <time.h>

struct drydock_archive_api {
	/* struct archive: common */
	const char *(*error_string)(struct archive *);
	void (*set_error)(struct archive *, int, const char *, ...);
	int (*format)(struct archive *);

	/* reading */
	struct archive *(*read_new)(void);
	int (*read_support_filter_all)(struct archive *);
	int (*read_support_filter_gzip)(struct archive *);
	int (*read_support_filter_zstd)(struct archive *);
	int (*read_support_format_tar)(struct archive *);
	int (*read_support_format_zip)(struct archive *);
	int (*read_support_format_raw)(struct archive *);
	int (*read_open)(struct archive *, void *, archive_open_callback *,
			 archive_read_callback *, archive_close_callback *);
	int (*read_open_filename)(struct archive *, const char *, size_t);
	int (*read_next_header)(struct archive *, struct archive_entry **);
	la_ssize_t (*read_data)(struct archive *, void *, size_t);
	int (*read_data_skip)(struct archive *);
	int (*read_data_into_fd)(struct archive *, int);
	int (*read_free)(struct archive *);

	/* writing */
	struct archive *(*write_new)(void);
	int (*write_set_format_pax_restricted)(struct archive *);
	int (*write_open_filename)(struct archive *, const char *);
	int (*write_header)(struct archive *, struct archive_entry *);
	la_ssize_t (*write_data)(struct archive *, const void *, size_t);
	int (*write_close)(struct archive *);
	int (*write_free)(struct archive *);

	/* struct archive_entry */
	struct archive_entry *(*entry_new)(void);
	void (*entry_free)(struct archive_entry *);
	const char *(*entry_pathname)(struct archive_entry *);
	const char *(*entry_symlink)(struct archive_entry *);
	const char *(*entry_hardlink)(struct archive_entry *);
	__LA_MODE_T (*entry_filetype)(struct archive_entry *);
	la_int64_t (*entry_size)(struct archive_entry *);
	void (*entry_set_pathname)(struct archive_entry *, const char *);
	void (*entry_set_filetype)(struct archive_entry *, unsigned int);
	void (*entry_set_perm)(struct archive_entry *, __LA_MODE_T);
	void (*entry_set_size)(struct archive_entry *, la_int64_t);
	void (*entry_set_mtime)(struct archive_entry *, time_t, long);
};

/* Filled by drydock_archive_load(); call that first. */
extern struct drydock_archive_api drydock_archive;

/*
 * Load libarchive, once per process (thread-safe). Returns 0, or -1 when
 * libarchive is missing or lacks a function, with the reason in a static
 * string (*why may be NULL).
 */
int drydock_archive_load(const char **why);

#endif
