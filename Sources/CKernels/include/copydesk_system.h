// What the process and the processor offer: the allocator's mmap threshold and the CPU features
// the kernels chose.
#ifndef COPYDESK_SYSTEM_H
#define COPYDESK_SYSTEM_H

#include <stdint.h>

/// Sets glibc's mmap threshold (allocations of at least `bytes` get their own mapping, returned to
/// the system when freed) and keeps it from adapting; returns 0 where unsupported (not glibc).
int copydesk_set_mmap_threshold(int bytes);

/// Whether the AVX2 + FMA bodies are in use (for benchmark reports).
int copydesk_kernels_use_avx2(void);

#endif
