/* EXAFSKit shim for zlib (gzip-compressed Athena project files). */
#ifndef EXAFSKIT_CZLIB_SHIM_H
#define EXAFSKIT_CZLIB_SHIM_H
#include <zlib.h>
static inline int exafs_inflate_init_gzip(z_stream *strm) {
  return inflateInit2(strm, 15 + 32);
}
static inline int exafs_deflate_init_gzip(z_stream *strm, int level) {
  return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
