// The byte scanners of the tokenizer and the JSON Lines reader, inline: SSE2 is baseline on
// x86-64, and Swift has no portable sixteen-byte compare-and-mask; each has a plain loop for other
// processors and for the last bytes, and tests compare them with plain Swift loops.
#ifndef COPYDESK_SCANNERS_H
#define COPYDESK_SCANNERS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#endif
