/* EXAFSKit shim for GSL (system library, found through pkg-config gsl). */
#ifndef EXAFSKIT_CGSL_SHIM_H
#define EXAFSKIT_CGSL_SHIM_H
#include <gsl/gsl_version.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_bspline.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_spline.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
/* Swift 6 rejects reads of mutable C globals; expose the constant type pointers through accessors. */
static inline const gsl_multifit_nlinear_type *exafs_gsl_nlinear_trust(void) { return gsl_multifit_nlinear_trust; }
static inline const gsl_multifit_nlinear_trs *exafs_gsl_nlinear_trs_lm(void) { return gsl_multifit_nlinear_trs_lm; }
static inline const gsl_rng_type *exafs_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_interp_type *exafs_gsl_interp_cspline(void) { return gsl_interp_cspline; }
static inline const gsl_interp_type *exafs_gsl_interp_linear(void) { return gsl_interp_linear; }
static inline const gsl_interp_type *exafs_gsl_interp_steffen(void) { return gsl_interp_steffen; }
#endif
