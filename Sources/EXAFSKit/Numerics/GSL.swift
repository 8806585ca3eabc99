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

/// Least-squares polynomial coefficients c0 + c1 x + ... + c_deg x^deg for (x, y), computed on x
/// centred and scaled to [-1, 1] (as numpy's `Polynomial.fit(...).convert()`) by Householder QR
/// (GSL's SVD-based `gsl_multifit_linear` where the problem is rank-deficient), then converted
/// back to powers of x.
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
  let coefficients = scaledLeastSquaresQR(x: x, y: y, p: p, off: off, scl: scl)
    ?? scaledLeastSquaresSVD(x: x, y: y, p: p, off: off, scl: scl)
  // Convert sum_j a_j ((x - off) scl)^j to powers of x.
  var out = [Double](repeating: 0, count: degree + 1)
  for j in 0..<p {
    let a = coefficients[j] * pow(scl, Double(j))
    // (x - off)^j = sum_m binom(j, m) x^m (-off)^(j-m)
    var binom = 1.0
    for m in 0...j {
      out[m] += a * binom * pow(-off, Double(j - m))
      binom = binom * Double(j - m) / Double(m + 1)
    }
  }
  return out
}

/// The least-squares a of sum_j a_j u^j = y, u = (x - off) scl in [-1, 1], by Householder QR of
/// the n x p Vandermonde matrix (backward stable like the SVD for a full-rank problem, at a
/// fraction of its cost: 2 n p^2 operations, no allocation by GSL). nil when the matrix is
/// numerically rank-deficient (|R_kk| below 1e-10 of the largest column norm, e.g. all x equal),
/// where the SVD's minimum-norm solution is the answer.
private func scaledLeastSquaresQR(x: [Double], y: [Double], p: Int, off: Double, scl: Double) -> [Double]? {
  let n = x.count
  guard n >= p, p <= 8 else { return nil }
  // Column-major A (n x p) and b.
  var a = [Double](repeating: 0, count: n * p)
  var b = y
  for i in 0..<n {
    let u = (x[i] - off) * scl
    var pw = 1.0
    for j in 0..<p {
      a[j * n + i] = pw
      pw *= u
    }
  }
  var largest = 0.0
  for j in 0..<p {
    var s = 0.0
    for i in 0..<n { s += a[j * n + i] * a[j * n + i] }
    largest = max(largest, s.squareRoot())
  }
  guard largest > 0 else { return nil }
  var diagonal = [Double](repeating: 0, count: p)
  for k in 0..<p {
    var norm2 = 0.0
    for i in k..<n { norm2 += a[k * n + i] * a[k * n + i] }
    let norm = norm2.squareRoot()
    guard norm > 1e-10 * largest else { return nil }
    let akk = a[k * n + k]
    let alpha = akk > 0 ? -norm : norm
    // v = column k below the diagonal with v_k = akk - alpha; H = I - 2 v v^T / (v^T v).
    a[k * n + k] = akk - alpha
    let vtv = norm2 - akk * akk + (akk - alpha) * (akk - alpha)
    for j in (k + 1)..<(p + 1) {
      var dot = 0.0
      if j < p {
        for i in k..<n { dot += a[k * n + i] * a[j * n + i] }
        let f = 2 * dot / vtv
        for i in k..<n { a[j * n + i] -= f * a[k * n + i] }
      } else {
        for i in k..<n { dot += a[k * n + i] * b[i] }
        let f = 2 * dot / vtv
        for i in k..<n { b[i] -= f * a[k * n + i] }
      }
    }
    diagonal[k] = alpha
  }
  // Back substitution R c = (Q^T b)[0 ..< p]; R's strict upper part is in a, its diagonal in `diagonal`.
  var c = [Double](repeating: 0, count: p)
  for k in stride(from: p - 1, through: 0, by: -1) {
    var s = b[k]
    for j in (k + 1)..<p { s -= a[j * n + k] * c[j] }
    c[k] = s / diagonal[k]
  }
  return c.allSatisfy(\.isFinite) ? c : nil
}

/// The same by GSL's SVD-based `gsl_multifit_linear` (minimum-norm solution when rank-deficient).
private func scaledLeastSquaresSVD(x: [Double], y: [Double], p: Int, off: Double, scl: Double) -> [Double] {
  let n = x.count
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
  return (0..<p).map { gsl_vector_get(C, $0) }
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
