#ifndef DRYDOCK_XMLDL_H
#define DRYDOCK_XMLDL_H

/*
 * libxml2, loaded when first needed (internal to lib/).
 *
 * Only the OVAL importer (lib/vulndb/feed_oval.c) parses XML, yet linking
 * libxml2 made every process map it together with ICU (30 MB) and
 * libstdc++. So the functions lib/ uses are looked up in libxml2.so.2 on
 * first use, as lib/util/curldl.h does for libcurl. The headers still come
 * from libxml2's -dev package: the loader checks every field's type
 * against the header at build time.
 */

#include <libxml/xmlreader.h>

struct drydock_xml_api {
	/* the value of libxml2's global xmlFree (a variable holding the
	 * deallocator, free() unless xmlMemSetup changed it): frees what
	 * get_prop and node_get_content return */
	xmlFreeFunc free;

	xmlTextReaderPtr (*reader_for_file)(const char *, const char *, int);
	xmlTextReaderPtr (*reader_for_memory)(const char *, int, const char *,
					      const char *, int);
	void (*free_text_reader)(xmlTextReaderPtr);
	void (*text_reader_set_structured_error_handler)(xmlTextReaderPtr,
							 xmlStructuredErrorFunc,
							 void *);
	int (*text_reader_read)(xmlTextReaderPtr);
	int (*text_reader_next)(xmlTextReaderPtr);
	int (*text_reader_depth)(xmlTextReaderPtr);
	int (*text_reader_node_type)(xmlTextReaderPtr);
	const xmlChar *(*text_reader_const_local_name)(xmlTextReaderPtr);
	xmlNodePtr (*text_reader_current_node)(xmlTextReaderPtr);
	xmlNodePtr (*text_reader_expand)(xmlTextReaderPtr);

	xmlChar *(*get_prop)(const xmlNode *, const xmlChar *);
	xmlChar *(*node_get_content)(const xmlNode *);
	long (*get_line_no)(const xmlNode *);
};

/* Filled by drydock_xml_load(); call that first. */
extern struct drydock_xml_api drydock_xml;

/*
 * Load libxml2 and run xmlInitParser, once per process (thread-safe:
 * libxml2 wants its initialisation done before threads use it). Returns 0,
 * or -1 when libxml2 is missing or lacks a symbol, with the reason in a
 * static string (*why may be NULL). xmlCleanupParser is never called: the
 * library stays loaded until the process exits.
 */
int drydock_xml_load(const char **why);

#endif
