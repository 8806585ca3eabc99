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
  ///
  /// Inside, only the 4 functions B_l ... B_(l+3) of the interval b_l <= x < b_(l+1) (the last
  /// one closed) are non-zero; they come from the Cox-de Boor recurrence on the knot vector
  /// u = (b_0 x4, b_1 ... b_(m-1), b_m x4), x in [u_j, u_(j+1)) with j = l + 3: starting from the
  /// order-1 value 1, each order q + 1 from order q with dR_i = u_(j+i+1) - x, dL_i = x - u_(j-i),
  /// term = B_i / (dR_i + dL_(q-i)), B_i <- saved + dR_i term, saved = dL_(q-i) term, B_(q+1) = saved
  /// (de Boor's BSPLVB, the evaluation GSL's gsl_bspline_eval does).
  public func matrix(at t: [Double]) -> [Double] {
    let ncoef = count
    let m = breakpoints.count - 1
    let lo = breakpoints[0], hi = breakpoints[m]
    // End derivatives only when some point lies beyond an end (GSL workspace set-up is costly).
    let (atLo, atHi) = t.contains { $0 < lo || $0 > hi } ? endDerivatives() : ([], [])
    let knots = [Double](repeating: lo, count: 4) + breakpoints[1..<m] + [Double](repeating: hi, count: 4)
    var out = [Double](repeating: 0, count: t.count * ncoef)
    for (r, x) in t.enumerated() {
      if x < lo || x > hi {
        let ends = x < lo ? atLo : atHi
        let dx = x - (x < lo ? lo : hi)
        for i in 0..<ncoef {
          let d = ends[i]
          out[r * ncoef + i] = d[0] + dx * (d[1] + dx * (d[2] / 2 + dx * d[3] / 6))
        }
      } else if x.isNaN {
        for i in 0..<ncoef { out[r * ncoef + i] = .nan }
      } else {
        // b_l <= x < b_u, ending with u = l + 1 (l = m - 1 for x = b_m).
        var l = 0
        var u = m
        while u - l > 1 {
          let mid = (l + u) / 2
          if breakpoints[mid] <= x { l = mid } else { u = mid }
        }
        let j = l + 3
        var b = SIMD4<Double>(1, 0, 0, 0)
        var dR = SIMD4<Double>.zero
        var dL = SIMD4<Double>.zero
        for q in 0..<3 {
          dR[q] = knots[j + q + 1] - x
          dL[q] = x - knots[j - q]
          var saved = 0.0
          for i in 0...q {
            let term = b[i] / (dR[i] + dL[q - i])
            b[i] = saved + dR[i] * term
            saved = dL[q - i] * term
          }
          b[q + 1] = saved
        }
        for i in 0..<4 { out[r * ncoef + l + i] = b[i] }
      }
    }
    return out
  }

  /// Derivatives 0 ... 3 of every basis function at b_0 and at b_m (GSL gsl_bspline_deriv_eval),
  /// for the extension beyond the ends.
  private func endDerivatives() -> (atLo: [[Double]], atHi: [[Double]]) {
    _ = gslErrorHandlerOff
    let ncoef = count
    let work = gsl_bspline_alloc(4, breakpoints.count)!
    defer { gsl_bspline_free(work) }
    let bp = gsl_vector_alloc(breakpoints.count)!
    defer { gsl_vector_free(bp) }
    for (i, v) in breakpoints.enumerated() { gsl_vector_set(bp, i, v) }
    gsl_bspline_knots(bp, work)
    let derivs = gsl_matrix_alloc(ncoef, 4)!
    defer { gsl_matrix_free(derivs) }
    func at(_ x: Double) -> [[Double]] {
      _ = gsl_bspline_deriv_eval(x, 3, derivs, work)
      return (0..<ncoef).map { i in (0..<4).map { d in gsl_matrix_get(derivs, i, d) } }
    }
    return (at(breakpoints[0]), at(breakpoints[breakpoints.count - 1]))
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
