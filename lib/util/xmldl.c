#include "setup.h"

#include <dlfcn.h>
#include <pthread.h>

#include "xmldl.h"

struct drydock_xml_api drydock_xml;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc = -1;
static const char *load_why = "libxml2 not loaded";

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
	struct drydock_xml_api api;
	void (*init_parser)(void) = NULL;
	xmlFreeFunc *free_var;
	void *lib = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		load_why = "libxml2 (libxml2.so.2) cannot be loaded";
		return;
	}
	memset(&api, 0, sizeof(api));
	/* xmlFree is a variable holding the deallocator, not a function:
	 * dlsym gives the variable's address */
	free_var = dlsym(lib, "xmlFree");
	if (!free_var ||
	    sym(lib, "xmlInitParser", &init_parser, sizeof(init_parser)) ||
	    SYM(reader_for_file, xmlReaderForFile) ||
	    SYM(reader_for_memory, xmlReaderForMemory) ||
	    SYM(free_text_reader, xmlFreeTextReader) ||
	    SYM(text_reader_set_structured_error_handler,
		xmlTextReaderSetStructuredErrorHandler) ||
	    SYM(text_reader_read, xmlTextReaderRead) ||
	    SYM(text_reader_next, xmlTextReaderNext) ||
	    SYM(text_reader_depth, xmlTextReaderDepth) ||
	    SYM(text_reader_node_type, xmlTextReaderNodeType) ||
	    SYM(text_reader_const_local_name, xmlTextReaderConstLocalName) ||
	    SYM(text_reader_current_node, xmlTextReaderCurrentNode) ||
	    SYM(text_reader_expand, xmlTextReaderExpand) ||
	    SYM(get_prop, xmlGetProp) ||
	    SYM(node_get_content, xmlNodeGetContent) ||
	    SYM(get_line_no, xmlGetLineNo)) {
		load_why =
			"libxml2 (libxml2.so.2) lacks a symbol drydock needs";
		return; /* the library stays loaded: it may be in use */
	}
	init_parser();
	api.free = *free_var; /* read after initialisation, which may set it */
	if (!api.free) {
		load_why = "libxml2 (libxml2.so.2) has no deallocator";
		return;
	}
	drydock_xml = api;
	load_rc = 0;
	load_why = NULL;
}

int drydock_xml_load(const char **why)
{
	pthread_once(&once, load);
	if (why)
		*why = load_why;
	return load_rc;
}
