// Fourier-transform windows (apodization functions), as Larch's ftwindow defines them.
import Foundation

/// The window functions of Larch/Ifeffit. Names as users type them (`--window hanning`).
public enum FTWindowKind: String, Sendable, Codable, CaseIterable {
  /// cos^2 tapers of width dk (dk2) at each end, 1 in between.
  case hanning
  /// Linear tapers.
  case parzen
  /// Quadratic tapers.
  case welch
  /// Kaiser-Bessel window over the whole range; dk is the Bessel shape parameter.
  case kaiser
  /// Half a sine period over the whole range.
  case sine
  /// Gaussian centred in the range; dk is its standard deviation.
  case gaussian

  /// Parses a window name as Larch does: the first three letters, case-insensitive
  /// ("hanning", "Hann", "kaiser-bessel", "kai" ...).
  public init?(name: String) {
    let key = String(name.trimmingCharacters(in: .whitespaces).lowercased().prefix(3))
    switch key {
    case "han": self = .hanning
    case "par": self = .parzen
    case "wel": self = .welch
    case "kai", "bes": self = .kaiser
    case "sin": self = .sine
    case "gau": self = .gaussian
    default: return nil
    }
  }
}

/// A window on a uniform grid `x` (same units as xmin/xmax, e.g. 1/Å for k or Å for R).
///
/// Follows Larch's `ftwindow`: x1 = xmin - dx/2, x2 = xmin + dx/2, x3 = xmax - dx2/2,
/// x4 = xmax + dx2/2, each snapped down to a grid point; the window is 1 between x2 and x3 and
/// tapers to 0 at x1 and x4. For kaiser, dx is the Bessel shape parameter and the window is
/// (I0(dx sqrt(1 - ((x - c)/w)^2)) - 1) / (I0(dx) - 1) on [x1, x4]; for gaussian,
/// exp(-(x - c)^2 / (2 dx^2)) with c the middle of [x1, x4].
/// - Parameters:
///   - x: uniform, increasing grid starting anywhere (Larch's grids start at 0).
///   - dx: taper width at xmin. `dx2`: taper width at xmax (defaults to dx).
public func ftWindow(
  _ x: [Double], xmin: Double, xmax: Double, dx: Double, dx2: Double? = nil, kind: FTWindowKind
) -> [Double] {
  let n = x.count
  guard n >= 2 else { return [Double](repeating: 1, count: n) }
  let dx1 = dx
  let dx2 = dx2 ?? dx
  var xstep = (x[n - 1] - x[0]) / Double(n - 1)
  if !(xstep > 0) { xstep = 1e-3 }
  let xeps = 1e-4 * xstep
  let x1r = max(x[0], xmin - dx1 / 2)
  let x2r = xmin + dx1 / 2 + xeps
  let x3r = xmax - dx2 / 2 - xeps
  let x4r = min(x[n - 1], xmax + dx2 / 2)
  func asIndex(_ v: Double) -> Int {
    let q = (v + xeps) / xstep
    guard q.isFinite else { return q > 0 ? n - 1 : 0 }
    // Clamped before the conversion: a huge dk or xmax would not fit in an Int.
    return Int(min(max(q, -1), Double(n)).rounded(.towardZero))
  }
  var i1 = max(0, asIndex(x1r)), i2 = max(0, asIndex(x2r))
  var i3 = min(n - 1, asIndex(x3r)), i4 = min(n - 1, asIndex(x4r))
  i1 = min(i1, n - 1); i2 = min(i2, n - 1); i3 = max(i3, 0); i4 = max(i4, 0)
  if i2 == i1 { i1 = max(0, i2 - 1) }
  if i4 == i3 { i3 = max(i2, i4 - 1) }
  var x1 = x[i1], x2 = x[i2], x3 = x[i3], x4 = x[i4]
  if x1 == x2 { x2 += xeps }
  if x3 == x4 { x4 += xeps }
  var w = [Double](repeating: 0, count: n)
  if i3 > i2 { for i in i2..<i3 { w[i] = 1 } }
  switch kind {
  case .hanning:
    if i2 >= i1 { for i in i1...i2 { w[i] = pow(sin((Double.pi / 2) * (x[i] - x1) / (x2 - x1)), 2) } }
    if i4 >= i3 { for i in i3...i4 { w[i] = pow(cos((Double.pi / 2) * (x[i] - x3) / (x4 - x3)), 2) } }
  case .parzen:
    if i2 >= i1 { for i in i1...i2 { w[i] = (x[i] - x1) / (x2 - x1) } }
    if i4 >= i3 { for i in i3...i4 { w[i] = 1 - (x[i] - x3) / (x4 - x3) } }
  case .welch:
    if i2 >= i1 { for i in i1...i2 { w[i] = 1 - pow((x[i] - x2) / (x2 - x1), 2) } }
    if i4 >= i3 { for i in i3...i4 { w[i] = 1 - pow((x[i] - x3) / (x4 - x3), 2) } }
  case .kaiser:
    let cen = (x4 + x1) / 2
    let wid = (x4 - x1) / 2
    let scale = max(1e-10, besselI0(dx1) - 1)
    for i in 0..<n {
      let arg = max(0, 1 - (x[i] - cen) * (x[i] - cen) / (wid * wid))
      w[i] = (besselI0(dx1 * arg.squareRoot()) - 1) / scale
    }
  case .sine:
    if i4 >= i1 { for i in i1...i4 { w[i] = sin(Double.pi * (x4 - x[i]) / (x4 - x1)) } }
  case .gaussian:
    let cen = (x4 + x1) / 2
    let s = max(dx1, xeps)
    for i in 0..<n { w[i] = exp(-((x[i] - cen) * (x[i] - cen)) / (2 * s * s)) }
  }
  return w
}
