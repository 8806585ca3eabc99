// Cubic interpolation with polynomial extrapolation, as Larch's interp(x, y, xnew, kind='cubic').

/// Values at `xNew` of the not-a-knot cubic spline through (x, y), the interpolant of scipy's
/// `interp1d(kind='cubic')` that Larch's `interp` wraps; points below `x[0]` (above `x[n-1]`)
/// take the value of the not-a-knot cubic spline through the first (last) 5 points, as Larch
/// extrapolates with `InterpolatedUnivariateSpline` on them.
///
/// Agreement with scipy: the same spline up to rounding (about 1e-13 relative on smooth data).
/// `x` must be strictly increasing; with fewer than 4 points the interpolation is linear.
public func cubicInterpolate(x: [Double], y: [Double], at xNew: [Double]) -> [Double] {
  precondition(x.count == y.count && x.count >= 2)
  let n = x.count
  if n < 4 { return linearExtrapolating(x: x, y: y, at: xNew) }
  let spline = NotAKnotSpline(x: x, y: y)
  let head = n > 5 ? NotAKnotSpline(x: Array(x[0..<5]), y: Array(y[0..<5])) : spline
  let tail = n > 5 ? NotAKnotSpline(x: Array(x[(n - 5)...]), y: Array(y[(n - 5)...])) : spline
  return xNew.map { t in
    if t < x[0] { return head(t) }
    if t > x[n - 1] { return tail(t) }
    return spline(t)
  }
}

/// Linear interpolation that extends the end segments (for 2 or 3 points).
private func linearExtrapolating(x: [Double], y: [Double], at xNew: [Double]) -> [Double] {
  let n = x.count
  return xNew.map { t in
    var i = indexOf(x, t)
    if i >= n - 1 { i = n - 2 }
    let s = (t - x[i]) / (x[i + 1] - x[i])
    return y[i] + s * (y[i + 1] - y[i])
  }
}
