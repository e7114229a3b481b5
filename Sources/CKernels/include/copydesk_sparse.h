// The sparse kernels that benefit from AVX2 and FMA: the Gram pass of the row-space solver and the
// scores of one article. The Swift compiler targets baseline x86-64 (SSE2) unless given unsafe
// flags, which a package others depend on cannot use; a C function can carry its own target
// attribute and be chosen at run time from what the processor supports. Each kernel has one
// portable body, compiled twice (with and without AVX2/FMA).
#ifndef COPYDESK_SPARSE_H
#define COPYDESK_SPARSE_H

#include <stdint.h>

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

#endif
