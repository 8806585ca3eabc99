/* EXAFSKit shim for FFTW3 (system library, found through pkg-config fftw3). */
#ifndef EXAFSKIT_CFFTW_SHIM_H
#define EXAFSKIT_CFFTW_SHIM_H
#include <fftw3.h>
#endif
