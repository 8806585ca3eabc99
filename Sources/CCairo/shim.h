/* EXAFSKit shim for cairo (PNG and SVG rendering of plots; pkg-config cairo). */
#ifndef EXAFSKIT_CCAIRO_SHIM_H
#define EXAFSKIT_CCAIRO_SHIM_H
#include <cairo/cairo.h>
#include <cairo/cairo-svg.h>
#include <cairo/cairo-pdf.h>
#endif
