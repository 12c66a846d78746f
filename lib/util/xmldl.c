#include "setup.h"

#include <dlfcn.h>
#include <pthread.h>

#include "dl.h"
#include "xmldl.h"

struct drydock_xml_api drydock_xml;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc = -1;
static const char *load_why = "libxml2 not loaded";

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
	    drydock_dl_sym(lib, "xmlInitParser", &init_parser,
			   sizeof(init_parser)) ||
	    DRYDOCK_DL_FN(reader_for_file, xmlReaderForFile) ||
	    DRYDOCK_DL_FN(reader_for_memory, xmlReaderForMemory) ||
	    DRYDOCK_DL_FN(free_text_reader, xmlFreeTextReader) ||
	    DRYDOCK_DL_FN(text_reader_set_structured_error_handler,
			  xmlTextReaderSetStructuredErrorHandler) ||
	    DRYDOCK_DL_FN(text_reader_read, xmlTextReaderRead) ||
	    DRYDOCK_DL_FN(text_reader_next, xmlTextReaderNext) ||
	    DRYDOCK_DL_FN(text_reader_depth, xmlTextReaderDepth) ||
	    DRYDOCK_DL_FN(text_reader_node_type, xmlTextReaderNodeType) ||
	    DRYDOCK_DL_FN(text_reader_const_local_name,
			  xmlTextReaderConstLocalName) ||
	    DRYDOCK_DL_FN(text_reader_current_node, xmlTextReaderCurrentNode) ||
	    DRYDOCK_DL_FN(text_reader_expand, xmlTextReaderExpand) ||
	    DRYDOCK_DL_FN(get_prop, xmlGetProp) ||
	    DRYDOCK_DL_FN(node_get_content, xmlNodeGetContent) ||
	    DRYDOCK_DL_FN(get_line_no, xmlGetLineNo)) {
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
