#ifndef DRYDOCK_DL_H
#define DRYDOCK_DL_H

/*
 * Shared by the libraries lib/ loads on first use (curldl.c, archivedl.c,
 * xmldl.c; internal to lib/).
 */

#include <stddef.h>

/*
 * Look name up in lib (a dlopen handle) and store it into the function
 * pointer at slot (size bytes). dlsym returns void *; POSIX guarantees it
 * converts to a function pointer, and the memcpy keeps -Wpedantic quiet.
 * Returns 0, or -1 when the symbol is missing (slot untouched).
 */
int drydock_dl_sym(void *lib, const char *name, void *slot, size_t size);

/*
 * Fill api.field with the function fn from lib, checking at build time
 * that the field's type matches fn's prototype: the assignment inside
 * sizeof is never evaluated, so no reference to fn reaches the linker.
 * Expects locals named api and lib; evaluates to 0 or -1.
 */
#define DRYDOCK_DL_FN(field, fn)                                               \
	(sizeof(api.field = fn) &&                                             \
	 drydock_dl_sym(lib, #fn, &api.field, sizeof(api.field)))

#endif
