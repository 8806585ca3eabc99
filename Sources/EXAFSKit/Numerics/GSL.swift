// GSL wrappers shared by the pipeline: error handling, linear least squares (polynomials).
import CGSL

/// Process-wide settings of the GSL library that EXAFSKit relies on.
public enum GSLErrorHandling {
  /// Switches off GSL's default error handler, which aborts the whole process on any error
  /// (EXAFSKit checks GSL's status codes instead). Programs call this once at start-up; the
  /// `exafs` command does. As a safety net for other programs, EXAFSKit also calls it before its
  /// first GSL call: aborting a host program on a singular matrix would be worse.
  public static func turnOffAbort() { _ = gslErrorHandlerOff }
}

/// GSL's default error handler aborts the process. It is switched off once, lazily and
/// thread-safely, before the first GSL call; status codes are checked instead.
let gslErrorHandlerOff: Bool = {
  gsl_set_error_handler_off()
  return true
}()

/// Least-squares polynomial coefficients c0 + c1 x + ... + c_deg x^deg for (x, y), computed by
/// GSL's SVD-based `gsl_multifit_linear` on x centred and scaled to [-1, 1] (as numpy's
/// `Polynomial.fit(...).convert()`), then converted back to powers of x.
/// - Returns: `deg + 1` coefficients, lowest power first; fewer points than coefficients give a
///   lower-degree fit.
package func polynomialFit(x: [Double], y: [Double], degree: Int) -> [Double] {
  _ = gslErrorHandlerOff
  let n = x.count
  let deg = max(0, min(degree, n - 1))
  let p = deg + 1
  guard n > 0 else { return [Double](repeating: 0, count: degree + 1) }
  let lo = x.min() ?? 0, hi = x.max() ?? 0
  let off = (hi + lo) / 2
  let scl = hi > lo ? 2 / (hi - lo) : 1
  let X = gsl_matrix_alloc(n, p)!
  let Y = gsl_vector_alloc(n)!
  let C = gsl_vector_alloc(p)!
  let cov = gsl_matrix_alloc(p, p)!
  let work = gsl_multifit_linear_alloc(n, p)!
  defer {
    gsl_matrix_free(X); gsl_vector_free(Y); gsl_vector_free(C); gsl_matrix_free(cov)
    gsl_multifit_linear_free(work)
  }
  for i in 0..<n {
    let u = (x[i] - off) * scl
    var pw = 1.0
    for j in 0..<p {
      gsl_matrix_set(X, i, j, pw)
      pw *= u
    }
    gsl_vector_set(Y, i, y[i])
  }
  var chisq = 0.0
  _ = gsl_multifit_linear(X, Y, C, cov, &chisq, work)
  // Convert sum_j a_j ((x - off) scl)^j to powers of x.
  var out = [Double](repeating: 0, count: degree + 1)
  for j in 0..<p {
    let a = gsl_vector_get(C, j) * pow(scl, Double(j))
    // (x - off)^j = sum_m binom(j, m) x^m (-off)^(j-m)
    var binom = 1.0
    for m in 0...j {
      out[m] += a * binom * pow(-off, Double(j - m))
      binom = binom * Double(j - m) / Double(m + 1)
    }
  }
  return out
}

/// Evaluates the polynomial with coefficients `c` (lowest power first) at `x` (Horner).
@inlinable
package func polynomialValue(_ c: [Double], _ x: Double) -> Double {
  var v = 0.0
  for coef in c.reversed() { v = v * x + coef }
  return v
}

/// Modified Bessel function of the first kind, order 0 (GSL `gsl_sf_bessel_I0`).
package func besselI0(_ x: Double) -> Double {
  _ = gslErrorHandlerOff
  return gsl_sf_bessel_I0(x)
}
