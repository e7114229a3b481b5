// Cache prefetch hints (Swift has none): the classifier starts fetching the coefficient rows and
// vocabulary records of an article's terms before it reads them.
#ifndef COPYDESK_PREFETCH_H
#define COPYDESK_PREFETCH_H

#include <stdint.h>

/// Asks the processor to start loading the cache line at `p` (no effect on results).
static inline void copydesk_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// ``copydesk_prefetch`` for every cache line of the `bytes` bytes at `p` (a coefficient row).
static inline void copydesk_prefetch_range(const void *p, int64_t bytes) {
    const char *c = (const char *)p;
    for (int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b, 0, 3);
    __builtin_prefetch(c + bytes - 1, 0, 3);
}

#endif
