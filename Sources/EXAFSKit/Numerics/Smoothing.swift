// Lorentzian smoothing on a uniform grid, as Larch's `smooth` (used by find_e0), convolved with FFTW.
import Foundation

/// Smooths y(x) by convolution with a Lorentzian of half-width `sigma` (same units as x).
///
/// As Larch's `smooth(x, y, sigma, xstep)`: y is interpolated linearly onto a uniform grid of step
/// `xstep` padded by 5 steps at each end, mirrored at both ends, convolved with the normalized
/// Lorentzian 1 / (1 + (j / (sigma / xstep))^2) over 2 n points, and interpolated back onto x.
/// The convolution runs as one FFTW forward/inverse pair of a padded size.
func lorentzianSmooth(x: [Double], y: [Double], sigma: Double, xstep: Double) -> [Double] {
  guard x.count >= 2, xstep > 1e-12 else { return y }
  let lo = x.min() ?? 0, hi = x.max() ?? 0
  let xmin = xstep * ((lo - 5 * xstep) / xstep).rounded(.towardZero)
  let xmax = xstep * ((hi + 5 * xstep) / xstep).rounded(.towardZero)
  let npts1 = 1 + Int(abs(xmax - xmin + xstep * 0.1) / xstep)
  let npts = max(2, min(npts1, 50 * x.count))
  let x0 = (0..<npts).map { xmin + (xmax - xmin) * Double($0) / Double(npts - 1) }
  let y0 = linearInterpolate(x: x, y: y, at: x0)
  let s = sigma / xstep
  // Window w[m] for m = 0 ..< 2 npts, centred at npts.
  var w = (0..<(2 * npts)).map { m -> Double in
    let u = (Double(m) - Double(npts)) / s
    return 1 / (1 + u * u)
  }
  let wsum = w.reduce(0, +)
  for i in w.indices { w[i] /= wsum }
  // Extended signal: y0[npts-1 ... 1], y0, y0[npts-1 ... 0]  (3 npts - 1 points).
  var y1 = [Double]()
  y1.reserveCapacity(3 * npts)
  for i in stride(from: npts - 1, through: 1, by: -1) { y1.append(y0[i]) }
  y1.append(contentsOf: y0)
  for i in stride(from: npts - 1, through: 0, by: -1) { y1.append(y0[i]) }
  // 'valid' convolution: out[n] = sum_m w[m] y1[n + 2 npts - 1 - m], n = 0 ..< npts.
  let full = y1.count + w.count - 1
  let size = fftFriendlySize(atLeast: full)
  var a = [Double](repeating: 0, count: 2 * size)
  var b = [Double](repeating: 0, count: 2 * size)
  for (i, v) in y1.enumerated() { a[2 * i] = v }
  for (i, v) in w.enumerated() { b[2 * i] = v }
  var fa = [Double](), fb = [Double]()
  let fwd = FFTPlan.shared(count: size, direction: .forward)
  fwd.execute(&a, into: &fa)
  fwd.execute(&b, into: &fb)
  for i in 0..<size {
    let re = fa[2 * i] * fb[2 * i] - fa[2 * i + 1] * fb[2 * i + 1]
    let im = fa[2 * i] * fb[2 * i + 1] + fa[2 * i + 1] * fb[2 * i]
    fa[2 * i] = re
    fa[2 * i + 1] = im
  }
  var conv = [Double]()
  FFTPlan.shared(count: size, direction: .backward).execute(&fa, into: &conv)
  let offset = w.count - 1
  let y2 = (0..<npts).map { conv[2 * ($0 + offset)] / Double(size) }
  return linearInterpolate(x: x0, y: y2, at: x)
}

/// Smallest n >= `atLeast` of the form 2^a 3^b 5^c, a size FFTW transforms quickly.
func fftFriendlySize(atLeast n: Int) -> Int {
  var best = Int.max
  var p2 = 1
  while p2 < 2 * n {
    var p3 = p2
    while p3 < 2 * n {
      var p5 = p3
      while p5 < 2 * n {
        if p5 >= n && p5 < best { best = p5 }
        p5 *= 5
      }
      p3 *= 3
    }
    p2 *= 2
  }
  return best
}
