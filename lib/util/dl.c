#include "setup.h"

#include <dlfcn.h>

#include "dl.h"

int drydock_dl_sym(void *lib, const char *name, void *slot, size_t size)
{
	void *p = dlsym(lib, name);

	if (!p)
		return -1;
	memcpy(slot, &p, size);
	return 0;
}
