#include "CKernels.h"
#include <math.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// One body, instantiated for the baseline target and for AVX2 + FMA. The compiler vectorises the
// four-class inner loops; with FMA each multiply-add is one instruction over four doubles.
#define GRAM_CHUNK_BODY(W)                                                                          \
    double largest = 0;                                                                           \
    for (int64_t j = first; j < end; j++) {                                                       \
        const int64_t lo = offsets[j], hi = offsets[j + 1];                                      \
        double a[W] = {0}, b[W] = {0};                                         \
        int64_t e = lo;                                                                           \
        for (; e + 1 < hi; e += 2) {                                                              \
            const double v = values[e], w = values[e + 1];                                        \
            const double *r = gamma + (int64_t)rows[e] * W, *q = gamma + (int64_t)rows[e + 1] * W; \
            for (int c = 0; c < W; c++) { a[c] += v * r[c]; b[c] += w * q[c]; }                   \
        }                                                                                         \
        if (e < hi) {                                                                             \
            const double v = values[e];                                                           \
            const double *r = gamma + (int64_t)rows[e] * W;                                       \
            for (int c = 0; c < W; c++) a[c] += v * r[c];                                         \
        }                                                                                         \
        double t[W];                                                                              \
        for (int c = 0; c < W; c++) {                                                             \
            t[c] = a[c] + b[c];                                                                   \
            const double m = fabs(t[c]);                                                          \
            if (m > largest) largest = m;                                                         \
        }                                                                                         \
        for (e = lo; e < hi; e++) {                                                               \
            const double v = values[e];                                                           \
            double *o = out + (int64_t)rows[e] * W;                                               \
            for (int c = 0; c < W; c++) o[c] += v * t[c];                                         \
        }                                                                                         \
    }                                                                                             \
    return largest;

static double gram_chunk4_generic(const int64_t *offsets, const int32_t *rows, const double *values,
                                  int64_t first, int64_t end, const double *gamma, double *out) {
    GRAM_CHUNK_BODY(4)
}
static double gram_chunk8_generic(const int64_t *offsets, const int32_t *rows, const double *values,
                                  int64_t first, int64_t end, const double *gamma, double *out) {
    GRAM_CHUNK_BODY(8)
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define COPYDESK_HAVE_AVX2_BODY 1
__attribute__((target("avx2,fma")))
static double gram_chunk4_avx2(const int64_t *offsets, const int32_t *rows, const double *values,
                               int64_t first, int64_t end, const double *gamma, double *out) {
    GRAM_CHUNK_BODY(4)
}
__attribute__((target("avx2,fma")))
static double gram_chunk8_avx2(const int64_t *offsets, const int32_t *rows, const double *values,
                               int64_t first, int64_t end, const double *gamma, double *out) {
    GRAM_CHUNK_BODY(8)
}
#endif

int copydesk_kernels_use_avx2(void) {
#ifdef COPYDESK_HAVE_AVX2_BODY
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
#else
    return 0;
#endif
}

double copydesk_gram_chunk_variant(int width, int avx2, const int64_t *offsets, const int32_t *rows,
                                   const double *values, int64_t first, int64_t end, const double *gamma,
                                   double *out) {
#ifdef COPYDESK_HAVE_AVX2_BODY
    if (avx2 && copydesk_kernels_use_avx2()) {
        return width == 8 ? gram_chunk8_avx2(offsets, rows, values, first, end, gamma, out)
                          : gram_chunk4_avx2(offsets, rows, values, first, end, gamma, out);
    }
#endif
    (void)avx2;
    return width == 8 ? gram_chunk8_generic(offsets, rows, values, first, end, gamma, out)
                      : gram_chunk4_generic(offsets, rows, values, first, end, gamma, out);
}

double copydesk_gram_chunk4(const int64_t *offsets, const int32_t *rows, const double *values,
                            int64_t first, int64_t end, const double *gamma, double *out) {
    return copydesk_gram_chunk_variant(4, 1, offsets, rows, values, first, end, gamma, out);
}

double copydesk_gram_chunk8(const int64_t *offsets, const int32_t *rows, const double *values,
                            int64_t first, int64_t end, const double *gamma, double *out) {
    return copydesk_gram_chunk_variant(8, 1, offsets, rows, values, first, end, gamma, out);
}

void copydesk_sparse_scores(const double *w, int64_t k, const int32_t *indices, const double *values,
                            int64_t count, double *z) {
    enum { AHEAD = 8 };
    const int64_t rowBytes = k * (int64_t)sizeof(double);
    for (int64_t e = 0; e < AHEAD && e < count; e++) copydesk_prefetch_range(w + (int64_t)indices[e] * k, rowBytes);
    for (int64_t e = 0; e < count; e++) {
        if (e + AHEAD < count) copydesk_prefetch_range(w + (int64_t)indices[e + AHEAD] * k, rowBytes);
        const double v = values[e];
        const double *row = w + (int64_t)indices[e] * k;
        for (int64_t c = 0; c < k; c++) z[c] += v * row[c];
    }
}

int copydesk_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
