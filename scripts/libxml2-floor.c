/* How fast libxml2's HTML parser alone reads a set of pages, with no extraction at all: the floor
 * under `copydesk extract`, which parses with it. `make bench` (scripts/bench.py) builds and runs
 * this beside the extractors, so that the ratio the issue asks for can be read against what the
 * parser itself allows on the machine.
 *
 *   cc -O2 scripts/libxml2-floor.c $(pkg-config --cflags --libs libxml-2.0) -o floor
 *   ./floor page1.html page2.html ...
 *
 * Prints one JSON object: pages, bytes, and the best of three runs (seconds, one thread) of
 *   "tree": htmlReadMemory + xmlFreeDoc, with the options copydesk uses;
 *   "sax":  the same parse with empty callbacks (tokenising only, no tree built). */
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void on_element(void *ctx, const xmlChar *name, const xmlChar **attributes) {
    (void)ctx; (void)name; (void)attributes;
}
static void on_characters(void *ctx, const xmlChar *text, int length) {
    (void)ctx; (void)text; (void)length;
}
static void quiet(void *ctx, const char *message, ...) { (void)ctx; (void)message; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int n = argc - 1;
    char **pages = calloc((size_t)n + 1, sizeof *pages);
    long *sizes = calloc((size_t)n + 1, sizeof *sizes);
    long total = 0;
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(argv[i + 1], "rb");
        if (!f) { fprintf(stderr, "libxml2-floor: cannot read %s\n", argv[i + 1]); return 66; }
        fseek(f, 0, SEEK_END);
        sizes[i] = ftell(f);
        rewind(f);
        pages[i] = malloc((size_t)sizes[i] + 1);
        if (fread(pages[i], 1, (size_t)sizes[i], f) != (size_t)sizes[i]) { fclose(f); return 66; }
        pages[i][sizes[i]] = 0; /* the SAX entry point reads up to a NUL */
        fclose(f);
        total += sizes[i];
    }
    xmlSetGenericErrorFunc(NULL, quiet);
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
                      | HTML_PARSE_COMPACT | (1 << 19) /* XML_PARSE_HUGE, as copydesk */;
    double best[2] = {1e9, 1e9};
    for (int run = 0; run < 3; run++) {
        for (int mode = 0; mode < 2; mode++) {
            double start = now();
            for (int i = 0; i < n; i++) {
                if (mode == 0) {
                    htmlDocPtr doc = htmlReadMemory(pages[i], (int)sizes[i], "page.html", NULL, options);
                    if (doc) xmlFreeDoc(doc);
                } else {
                    htmlSAXHandler sax;
                    memset(&sax, 0, sizeof sax);
                    sax.startElement = on_element;
                    sax.characters = on_characters;
                    htmlDocPtr doc = htmlSAXParseDoc((const xmlChar *)pages[i], NULL, &sax, NULL);
                    if (doc) xmlFreeDoc(doc);
                }
            }
            double t = now() - start;
            if (t < best[mode]) best[mode] = t;
        }
    }
    printf("{\"pages\": %d, \"bytes\": %ld, \"tree\": %.4f, \"sax\": %.4f}\n", n, total, best[0], best[1]);
    return 0;
}
