// Grid look-ups and interpolation: Larch's index_of/index_nearest, numpy-style linear
// interpolation, and the not-a-knot cubic interpolating spline (solved with GSL).
import CGSL

/// Index of the last element of the increasing array `x` that is `<= value`; 0 if `value < x[0]`
/// (Larch's `index_of`).
package func indexOf(_ x: [Double], _ value: Double) -> Int {
  guard let first = x.first, value >= first else { return 0 }
  var lo = 0
  var hi = x.count - 1
  if value >= x[hi] { return hi }
  while hi - lo > 1 {
    let mid = (lo + hi) / 2
    if x[mid] <= value { lo = mid } else { hi = mid }
  }
  return lo
}

/// Index of the element of the increasing array `x` nearest to `value` (Larch's `index_nearest`;
/// on a tie the lower index wins, as numpy's argmin).
package func indexNearest(_ x: [Double], _ value: Double) -> Int {
  guard !x.isEmpty else { return 0 }
  let i = indexOf(x, value)
  if i + 1 < x.count, abs(x[i + 1] - value) < abs(x[i] - value) { return i + 1 }
  return i
}

/// Linear interpolation of (x, y) at `xNew`, holding the end values outside [x0, xn]
/// (numpy.interp semantics). `x` must be increasing.
package func linearInterpolate(x: [Double], y: [Double], at xNew: [Double]) -> [Double] {
  precondition(x.count == y.count && !x.isEmpty)
  var out = [Double](repeating: 0, count: xNew.count)
  let n = x.count
  for (j, xv) in xNew.enumerated() {
    if xv <= x[0] {
      out[j] = y[0]
    } else if xv >= x[n - 1] {
      out[j] = y[n - 1]
    } else {
      let i = indexOf(x, xv)
      let t = (xv - x[i]) / (x[i + 1] - x[i])
      out[j] = y[i] + t * (y[i + 1] - y[i])
    }
  }
  return out
}

/// Cubic interpolating spline with not-a-knot end conditions, the spline that FITPACK's
/// `UnivariateSpline(x, y, s=0)` (and hence Larch's autobk) uses.
///
/// The second derivatives at the nodes solve a tridiagonal system (GSL `gsl_linalg_solve_tridiag`)
/// after the not-a-knot conditions (continuous third derivative at x[1] and x[n-2]) have been
/// substituted into the first and last interior equations. With fewer than 4 nodes the spline
/// reduces to the interpolating polynomial of lower degree (here: linear interpolation).
package struct NotAKnotSpline: Sendable {
  /// Nodes, strictly increasing.
  public let x: [Double]
  /// Values at the nodes.
  public let y: [Double]
  /// Second derivatives at the nodes.
  public let m: [Double]

  public init(x: [Double], y: [Double]) {
    precondition(x.count == y.count && x.count >= 2)
    self.x = x
    self.y = y
    let n = x.count
    guard n >= 4 else {
      m = [Double](repeating: 0, count: n)
      return
    }
    var h = [Double](repeating: 0, count: n - 1)
    for i in 0..<(n - 1) { h[i] = x[i + 1] - x[i] }
    // Unknowns M_1 ... M_{n-2}; system of size s = n - 2.
    let s = n - 2
    var diag = [Double](repeating: 0, count: s)
    var upper = [Double](repeating: 0, count: max(s - 1, 1))
    var lower = [Double](repeating: 0, count: max(s - 1, 1))
    var rhs = [Double](repeating: 0, count: s)
    for r in 0..<s {
      let i = r + 1
      rhs[r] = 6 * ((y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1])
      diag[r] = 2 * (h[i - 1] + h[i])
      if r < s - 1 { upper[r] = h[i] }
      if r > 0 { lower[r - 1] = h[i - 1] }
    }
    // Not-a-knot at x1: M0 = ((h0 + h1) M1 - h0 M2) / h1.
    let h0 = h[0], h1 = h[1]
    if s == 2 {
      // n == 4: both conditions touch the same two unknowns; the spline is the cubic through 4 points.
      let hn2 = h[n - 2], hn3 = h[n - 3]
      diag[0] = (h0 + h1) * (h0 + 2 * h1) / h1
      upper[0] = (h1 - h0) * (h1 + h0) / h1
      lower[0] = (hn3 - hn2) * (hn3 + hn2) / hn3
      diag[1] = (hn3 + hn2) * (2 * hn3 + hn2) / hn3
    } else {
      diag[0] = (h0 + h1) * (h0 + 2 * h1) / h1
      upper[0] = (h1 - h0) * (h1 + h0) / h1
      let hn2 = h[n - 2], hn3 = h[n - 3]
      lower[s - 2] = (hn3 - hn2) * (hn3 + hn2) / hn3
      diag[s - 1] = (hn3 + hn2) * (2 * hn3 + hn2) / hn3
    }
    var inner = [Double](repeating: 0, count: s)
    _ = gslErrorHandlerOff
    diag.withUnsafeMutableBufferPointer { d in
      upper.withUnsafeMutableBufferPointer { u in
        lower.withUnsafeMutableBufferPointer { l in
          rhs.withUnsafeMutableBufferPointer { b in
            inner.withUnsafeMutableBufferPointer { xo in
              var vd = gsl_vector_view_array(d.baseAddress, s)
              var vu = gsl_vector_view_array(u.baseAddress, s - 1)
              var vl = gsl_vector_view_array(l.baseAddress, s - 1)
              var vb = gsl_vector_view_array(b.baseAddress, s)
              var vx = gsl_vector_view_array(xo.baseAddress, s)
              _ = gsl_linalg_solve_tridiag(&vd.vector, &vu.vector, &vl.vector, &vb.vector, &vx.vector)
            }
          }
        }
      }
    }
    var mm = [Double](repeating: 0, count: n)
    for r in 0..<s { mm[r + 1] = inner[r] }
    mm[0] = ((h0 + h1) * mm[1] - h0 * mm[2]) / h1
    let hn2 = h[n - 2], hn3 = h[n - 3]
    mm[n - 1] = ((hn2 + hn3) * mm[n - 2] - hn2 * mm[n - 3]) / hn3
    m = mm
  }

  /// Spline value at `t`; outside [x0, xn] the end cubic pieces are extended.
  public func callAsFunction(_ t: Double) -> Double {
    let n = x.count
    var i = indexOf(x, t)
    if i >= n - 1 { i = n - 2 }
    let hi = x[i + 1] - x[i]
    let a = (x[i + 1] - t) / hi
    let b = (t - x[i]) / hi
    return a * y[i] + b * y[i + 1]
      + ((a * a * a - a) * m[i] + (b * b * b - b) * m[i + 1]) * hi * hi / 6
  }

  /// Spline values at every element of `t`. The interval of each point is the one
  /// `callAsFunction` finds (last node <= t, at most n - 2); for increasing `t` it is found by
  /// stepping on from the previous point's interval instead of a binary search per point.
  public func evaluate(_ t: [Double]) -> [Double] {
    let n = x.count
    var out = [Double](repeating: 0, count: t.count)
    var i = 0
    var previous = -Double.infinity
    for (p, tp) in t.enumerated() {
      guard tp >= previous else {  // not increasing (or NaN): search afresh
        out[p] = self(tp)
        previous = tp.isNaN ? -.infinity : tp
        i = min(indexOf(x, previous), n - 2)
        continue
      }
      previous = tp
      while i + 1 < n - 1, x[i + 1] <= tp { i += 1 }
      let hi = x[i + 1] - x[i]
      let a = (x[i + 1] - tp) / hi
      let b = (tp - x[i]) / hi
      out[p] = a * y[i] + b * y[i + 1]
        + ((a * a * a - a) * m[i] + (b * b * b - b) * m[i + 1]) * hi * hi / 6
    }
    return out
  }
}
