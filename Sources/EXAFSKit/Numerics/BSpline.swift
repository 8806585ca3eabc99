// Cubic B-spline basis on given breakpoints (GSL gsl_bspline), with polynomial extension
// beyond the end breakpoints as FITPACK's splev does.
import CGSL

/// A clamped cubic B-spline basis: breakpoints b_0 < ... < b_m, end knots repeated four times,
/// `m + 3` basis functions. This is the knot vector scipy's `splrep(x, y, k=3)` builds
/// (not-a-knot: breakpoints x[0], x[2], ..., x[n-3], x[n-1] give n functions).
package struct CubicBSplineBasis: Sendable {
  /// Breakpoints, strictly increasing, at least 2.
  public let breakpoints: [Double]
  /// Number of basis functions (coefficients).
  public var count: Int { breakpoints.count + 2 }

  public init(breakpoints: [Double]) {
    precondition(breakpoints.count >= 2)
    self.breakpoints = breakpoints
  }

  /// Basis knots for not-a-knot interpolation through nodes `x` (n >= 4): x0, x2 ... x_{n-3}, x_{n-1}.
  public init(notAKnotNodes x: [Double]) {
    precondition(x.count >= 4)
    var b = [x[0]]
    b.append(contentsOf: x[2..<(x.count - 2)])
    b.append(x[x.count - 1])
    self.init(breakpoints: b)
  }

  /// Values of all basis functions at each point of `t`, as a row-major matrix
  /// (`t.count` rows, `count` columns). Points outside [b_0, b_m] use the cubic piece at the
  /// nearest end, extended (the Taylor expansion from the end point is exact for a cubic).
  public func matrix(at t: [Double]) -> [Double] {
    _ = gslErrorHandlerOff
    let ncoef = count
    let work = gsl_bspline_alloc(4, breakpoints.count)!
    defer { gsl_bspline_free(work) }
    let bp = gsl_vector_alloc(breakpoints.count)!
    defer { gsl_vector_free(bp) }
    for (i, v) in breakpoints.enumerated() { gsl_vector_set(bp, i, v) }
    gsl_bspline_knots(bp, work)
    // The (at most) 4 non-zero basis functions at a point, from index `first` on.
    let nonzero = gsl_vector_alloc(4)!
    defer { gsl_vector_free(nonzero) }
    let derivs = gsl_matrix_alloc(ncoef, 4)!
    defer { gsl_matrix_free(derivs) }
    let lo = breakpoints[0], hi = breakpoints[breakpoints.count - 1]
    // Derivatives 0...3 of every basis function at both ends, for extension.
    func endDerivatives(_ x: Double) -> [[Double]] {
      _ = gsl_bspline_deriv_eval(x, 3, derivs, work)
      return (0..<ncoef).map { i in (0..<4).map { d in gsl_matrix_get(derivs, i, d) } }
    }
    let atLo = endDerivatives(lo)
    let atHi = endDerivatives(hi)
    var out = [Double](repeating: 0, count: t.count * ncoef)
    for (r, x) in t.enumerated() {
      if x < lo || x > hi {
        let ends = x < lo ? atLo : atHi
        let dx = x - (x < lo ? lo : hi)
        for i in 0..<ncoef {
          let d = ends[i]
          out[r * ncoef + i] = d[0] + dx * (d[1] + dx * (d[2] / 2 + dx * d[3] / 6))
        }
      } else {
        var first = 0, last = 0
        _ = gsl_bspline_eval_nonzero(x, nonzero, &first, &last, work)
        let values = nonzero.pointee.data!  // freshly allocated: stride 1
        for i in first...last { out[r * ncoef + i] = values[i - first] }
      }
    }
    return out
  }
}

/// Solves the dense square system A x = b (row-major A, n x n) with GSL's LU decomposition.
/// Returns nil when A is singular.
func solveLinearSystem(_ a: [Double], _ b: [Double]) -> [Double]? {
  _ = gslErrorHandlerOff
  let n = b.count
  let m = gsl_matrix_alloc(n, n)!
  let v = gsl_vector_alloc(n)!
  let x = gsl_vector_alloc(n)!
  let perm = gsl_permutation_alloc(n)!
  defer { gsl_matrix_free(m); gsl_vector_free(v); gsl_vector_free(x); gsl_permutation_free(perm) }
  for i in 0..<n {
    for j in 0..<n { gsl_matrix_set(m, i, j, a[i * n + j]) }
    gsl_vector_set(v, i, b[i])
  }
  var sign: Int32 = 0
  guard gsl_linalg_LU_decomp(m, perm, &sign) == 0, gsl_linalg_LU_solve(m, perm, v, x) == 0 else { return nil }
  let out = (0..<n).map { gsl_vector_get(x, $0) }
  return out.allSatisfy { $0.isFinite } ? out : nil
}
