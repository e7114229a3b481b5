// Copydesk's sparse kernels that benefit from AVX2 and FMA. The Swift compiler targets baseline
// x86-64 (SSE2) unless given unsafe flags, which a package others depend on cannot use; a C function
// can carry its own target attribute and be chosen at run time from what the processor supports.
// Each kernel has one portable body, compiled twice (with and without AVX2/FMA).
// The byte scanners of the tokenizer and the JSON Lines reader are here too, inline: SSE2 is
// baseline on x86-64, and Swift has no portable sixteen-byte compare-and-mask; each has a plain
// loop for other processors and for the last bytes, and tests compare them with plain Swift loops.
#ifndef COPYDESK_CKERNELS_H
#define COPYDESK_CKERNELS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// For features `first..<end` of a matrix stored by columns (`offsets`, `rows`, `values`: the
/// transpose in CSR form) and one chunk of 4 classes: `t = x_jᵀ Γ` over the chunk's packed `n × 4`
/// block `gamma`, then `out[row] += x_j[row] · t`. Returns the largest `|t|` entry seen.
double copydesk_gram_chunk4(const int64_t *offsets, const int32_t *rows, const double *values,
                            int64_t first, int64_t end, const double *gamma, double *out);

/// The same for a chunk of 8 classes (`n × 8` blocks).
double copydesk_gram_chunk8(const int64_t *offsets, const int32_t *rows, const double *values,
                            int64_t first, int64_t end, const double *gamma, double *out);

/// The chunk kernel of `width` 4 or 8 with the AVX2 + FMA body (`avx2` non-zero, when
/// the processor has it) or the portable body; the two functions above are it with `avx2` = 1.
double copydesk_gram_chunk_variant(int width, int avx2, const int64_t *offsets, const int32_t *rows,
                                   const double *values, int64_t first, int64_t end, const double *gamma,
                                   double *out);

/// `z[c] += values[e] · w[indices[e] · k + c]` for every entry `e` of a sparse row, in entry order
/// (the same sums as the plain loop). `w` is `features × k`, row-major. The rows a short article
/// touches are scattered over a matrix much larger than the caches, so the loop fetches the rows a
/// few entries ahead of the one it adds: their cache misses overlap instead of following each other.
void copydesk_sparse_scores(const double *w, int64_t k, const int32_t *indices, const double *values,
                            int64_t count, double *z);

/// Asks the processor to start loading the cache line at `p` (no effect on results).
static inline void copydesk_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// ``copydesk_prefetch`` for every cache line of the `bytes` bytes at `p` (a coefficient row).
static inline void copydesk_prefetch_range(const void *p, int64_t bytes) {
    const char *c = (const char *)p;
    for (int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b, 0, 3);
    __builtin_prefetch(c + bytes - 1, 0, 3);
}

/// The length of the run of ASCII letters and digits that starts at `p` (at most `n` bytes), copied
/// to `out` as it is measured, ASCII letters lowercased when `lower` is non-zero. Sixteen bytes at a
/// time where both `p` and `out` have that many left: `out` must have room for `n` bytes, and bytes
/// of `out` past the run may be overwritten.
static inline int64_t copydesk_ascii_word(const uint8_t *p, int64_t n, uint8_t *out, int lower) {
    int64_t j = 0;
#if defined(__SSE2__)
    const __m128i case_bit = _mm_set1_epi8(0x20);
    const __m128i letter_base = _mm_set1_epi8((char)(0x61 + 0x80)), letter_limit = _mm_set1_epi8((char)(-128 + 26));
    const __m128i digit_base = _mm_set1_epi8((char)(0x30 + 0x80)), digit_limit = _mm_set1_epi8((char)(-128 + 10));
    while (n - j >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
        // x - base in [0, limit) as unsigned bytes, by a signed compare after moving 0 to -128.
        __m128i letter = _mm_cmplt_epi8(_mm_sub_epi8(_mm_or_si128(v, case_bit), letter_base), letter_limit);
        __m128i digit = _mm_cmplt_epi8(_mm_sub_epi8(v, digit_base), digit_limit);
        __m128i word = lower ? _mm_or_si128(v, _mm_and_si128(letter, case_bit)) : v;
        _mm_storeu_si128((__m128i *)(out + j), word);
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
        if (mask != 0xFFFF) return j + __builtin_ctz(~mask);
        j += 16;
    }
#endif
    for (; j < n; j++) {
        uint8_t b = p[j];
        int letter = (uint8_t)((b | 0x20) - 0x61) < 26;
        if (!letter && (uint8_t)(b - 0x30) >= 10) break;
        out[j] = lower && letter ? (uint8_t)(b | 0x20) : b;
    }
    return j;
}

/// The index of the first byte in `p[0..<n]` that ends a run of a JSON string's plain characters
/// (a quote, a backslash or a control character below 0x20), or `n`. Sixteen bytes at a time.
static inline int64_t copydesk_json_string_run(const uint8_t *p, int64_t n) {
    int64_t i = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8(0x22), backslash = _mm_set1_epi8(0x5C);
    const __m128i control_base = _mm_set1_epi8((char)0x80), control_limit = _mm_set1_epi8((char)(-128 + 0x20));
    while (n - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                    _mm_cmplt_epi8(_mm_sub_epi8(v, control_base), control_limit));
        unsigned mask = (unsigned)_mm_movemask_epi8(stop);
        if (mask != 0) return i + __builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < n && p[i] != 0x22 && p[i] != 0x5C && p[i] >= 0x20) i++;
    return i;
}

/// Sets glibc's mmap threshold (allocations of at least `bytes` get their own mapping, returned to
/// the system when freed) and keeps it from adapting; returns 0 where unsupported (not glibc).
int copydesk_set_mmap_threshold(int bytes);

/// Whether the AVX2 + FMA bodies are in use (for benchmark reports).
int copydesk_kernels_use_avx2(void);

#endif
