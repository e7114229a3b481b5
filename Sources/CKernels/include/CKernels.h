// Copydesk's C kernels, by concern. Swift code reaches them through the library's `Kernels`
// (Support/Kernels.swift), never directly.
#ifndef COPYDESK_CKERNELS_H
#define COPYDESK_CKERNELS_H

#include "copydesk_sparse.h"
#include "copydesk_prefetch.h"
#include "copydesk_scanners.h"
#include "copydesk_system.h"

#endif
