#ifndef COPYDESK_CLIBXML2_SHIM_H
#define COPYDESK_CLIBXML2_SHIM_H
/* libxml2's HTML parser (Debian libxml2-dev); the include path comes from pkg-config libxml-2.0.
 *
 * Debian builds libxml2 with ICU, and its encoding header then includes ICU's, which clash with the
 * ICU that Foundation carries. Copydesk never touches the encoding handler's ICU fields (libxml2
 * converts encodings inside the library), so the headers are read without them. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include <libxml/xmlerror.h>

/* libxml2 reports recoverable problems of a page (bad bytes, broken tags) on stderr even with
 * HTML_PARSE_NOERROR for some of them; the handlers are per thread, so every parse silences them. */
static inline void copydesk_xml_ignore(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void copydesk_xml_silence(void) {
    xmlSetGenericErrorFunc(NULL, copydesk_xml_ignore);
    xmlSetStructuredErrorFunc(NULL, NULL);
}

/* xmlFree is a global function pointer, which Swift 6 will not read from concurrent code. */
static inline void copydesk_xml_free(void *p) { xmlFree(p); }
#endif
