// glibc's allocator tuning (mallopt), which Swift's Glibc module does not export.
#ifndef EXAFSKIT_CMALLOC_SHIM_H
#define EXAFSKIT_CMALLOC_SHIM_H
#if defined(__linux__)
#include <features.h>
#endif
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
/// Keeps freed memory for reuse instead of returning it to the kernel after every large free:
/// blocks up to 32 MiB come from the heap (not a fresh mmap per array) and the heap is trimmed
/// only when 256 MiB are free. Returns 1 when glibc accepted both settings.
static inline int exafs_tune_malloc(void) {
  int ok = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  ok &= mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  return ok;
}
#else
static inline int exafs_tune_malloc(void) { return 0; }
#endif
#endif
