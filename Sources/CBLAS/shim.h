#ifndef COPYDESK_CBLAS_SHIM_H
#define COPYDESK_CBLAS_SHIM_H

#include <stddef.h>
#include <cblas.h>

/* Fortran LAPACK entry points (liblapack.so.3). gfortran appends one hidden size_t length
   argument per CHARACTER parameter; we always pass 1. */
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
             const double *a, const int *lda, double *b, const int *ldb, int *info,
             size_t uplo_len, size_t trans_len, size_t diag_len);

void dsyevr_(const char *jobz, const char *range, const char *uplo, const int *n, double *a,
             const int *lda, const double *vl, const double *vu, const int *il, const int *iu,
             const double *abstol, int *m, double *w, double *z, const int *ldz, int *isuppz,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t range_len, size_t uplo_len);

#endif
