// Lorentzian smoothing on a uniform grid, as Larch's `smooth` (used by find_e0), convolved with FFTW.
import Foundation
import Synchronization

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
  // Extended signal: y0[npts-1 ... 1], y0, y0[npts-1 ... 0]  (3 npts - 1 points).
  let count1 = 3 * npts - 1
  // 'valid' convolution: out[n] = sum_m w[m] y1[n + 2 npts - 1 - m], n = 0 ..< npts.
  let full = count1 + 2 * npts - 1
  let size = fftFriendlySize(atLeast: full)
  // The window's transform depends only on (npts, sigma / xstep, size): made once and shared by
  // every spectrum of a series with the same grid. SIMD-aligned buffers (FFTW's vector codelets).
  let kernel = LorentzianKernel.shared(npts: npts, width: s, size: size)
  let a = FFTBuffer(count: size), fa = FFTBuffer(count: size)
  let av = a.doubles(size)
  av.update(repeating: 0)
  var j = 0
  for i in stride(from: npts - 1, through: 1, by: -1) { av[2 * j] = y0[i]; j += 1 }
  for v in y0 { av[2 * j] = v; j += 1 }
  for i in stride(from: npts - 1, through: 0, by: -1) { av[2 * j] = y0[i]; j += 1 }
  FFTPlan.sharedAligned(count: size, direction: .forward).execute(a.pointer, fa.pointer)
  let f = fa.pointer
  kernel.spectrum.withUnsafeBufferPointer { fb in
    for i in 0..<size {
      let re = f[2 * i] * fb[2 * i] - f[2 * i + 1] * fb[2 * i + 1]
      let im = f[2 * i] * fb[2 * i + 1] + f[2 * i + 1] * fb[2 * i]
      f[2 * i] = re
      f[2 * i + 1] = im
    }
  }
  FFTPlan.sharedAligned(count: size, direction: .backward).execute(fa.pointer, a.pointer)
  let conv = UnsafeBufferPointer(av)
  let offset = 2 * npts - 1
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

/// The FFT of the normalized Lorentzian window w[m] = 1 / (1 + ((m - npts) / width)^2),
/// m = 0 ..< 2 npts, zero-padded to `size`, kept per grid (a series repeats a handful of grids).
final class LorentzianKernel: Sendable {
  private struct Key: Hashable {
    let npts: Int
    let width: Double
    let size: Int
  }

  /// Interleaved complex transform, `2 * size` doubles.
  let spectrum: [Double]

  private init(npts: Int, width s: Double, size: Int) {
    var w = (0..<(2 * npts)).map { m -> Double in
      let u = (Double(m) - Double(npts)) / s
      return 1 / (1 + u * u)
    }
    let wsum = w.reduce(0, +)
    for i in w.indices { w[i] /= wsum }
    let b = FFTBuffer(count: size), fb = FFTBuffer(count: size)
    let bv = b.doubles(size)
    bv.update(repeating: 0)
    for (i, v) in w.enumerated() { bv[2 * i] = v }
    FFTPlan.sharedAligned(count: size, direction: .forward).execute(b.pointer, fb.pointer)
    spectrum = Array(UnsafeBufferPointer(fb.doubles(size)))
  }

  private static let cache = GridCache<Key, LorentzianKernel>()

  static func shared(npts: Int, width: Double, size: Int) -> LorentzianKernel {
    cache.value(for: Key(npts: npts, width: width, size: size)) { LorentzianKernel(npts: npts, width: width, size: size) }
  }
}
