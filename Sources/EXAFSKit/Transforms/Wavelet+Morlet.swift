// Morlet wavelet map (Funke, Scheinost & Chukalina 2005), evaluated in the Fourier domain with FFTW.
import Foundation
import Synchronization

extension WaveletTransform {
  /// Filter bins where the Gaussian has fallen below exp(-42) ≈ 6e-19 of its peak are skipped:
  /// they change the map by less than one part in 10^17 of its largest value, far below the
  /// rounding of the FFT itself (checked against direct quadrature in the tests).
  static let negligibleExponent = 42.0
  /// Exponents below -745 underflow to 0 in Double (used by the Cauchy filter, which skips them).
  static let underflowExponent = 745.0

  /// The Morlet map of `input`.
  ///
  /// Mother wavelet (Funke et al., Phys. Rev. B 71, 094110 (2005)), with the admissibility term:
  ///
  ///     psi(u) = 1/(sqrt(2 pi) sigma) [exp(i eta u) - exp(-eta^2 sigma^2 / 2)] exp(-u^2 / (2 sigma^2))
  ///
  /// and, with the scale a = eta / (2R) (1/Å) so that a pure sin(2 R0 k) rings at R near R0,
  ///
  ///     W(b, R) = a^(-1/2) Integral y(k) conj(psi((k - b) / a)) dk        (.funke, L2)
  ///     W(b, R) = a^(-1)   Integral y(k) conj(psi((k - b) / a)) dk        (.amplitude, L1)
  ///
  /// W carries the signal phase: for y = A sin(2 R0 k + phi), W(b, R0) ≈ (A/2i) e^(i (2 R0 b + phi)) ×
  /// (normalization factor).
  ///
  /// Evaluation: with Y(omega) = Integral y(k) e^(-i omega k) dk and the real
  /// psihat(xi) = exp(-sigma^2 (xi - eta)^2 / 2) - exp(-sigma^2 (xi^2 + eta^2) / 2),
  /// W(b, R) = (1/2 pi) Integral Y(omega) H(omega) e^(i omega b) d omega with H = sqrt(a) psihat(a omega)
  /// (L2) or psihat(a omega) (L1). y is placed at the start of a zero-padded buffer of N points and
  /// transformed forward; each R row multiplies by H at omega_m = 2 pi m / (N dk) (negative
  /// frequencies included) and transforms back once, dividing by N (dk cancels). N >= nk +
  /// ceil(6 sigma a / dk) for every row, so the daughter wavelet has fallen below exp(-18) of its
  /// peak before the circular convolution could wrap and the result equals the direct sum over the
  /// grid (checked against direct quadrature in the tests). Rows at small R need long transforms,
  /// rows at large R short ones, so rows share a few lengths (`morletFFTSizes`), each with one forward
  /// transform; this is ~15x faster than one length for all rows when R starts at one R step.
  /// Plans come from the shared cache; the three work buffers are allocated once per map.
  /// Edge columns within about 2 eta sigma / (2R) of kmin or kmax see a truncated wavelet ("cone
  /// of influence") and are attenuated.
  static func morletMap(_ input: WaveletInput) throws -> WaveletMap {
    var p = input.parameters
    let dk = p.kstep
    let rstep = p.resolvedRstep
    let rmin = p.rmin ?? rstep
    guard rmin <= p.rmax else {
      throw EXAFSError.invalidParameter("rmax", "must be at least rmin = \(rmin) Å")
    }
    let rNyquist = Double.pi / (2 * dk)
    guard p.rmax <= rNyquist else {
      throw EXAFSError.invalidParameter(
        "rmax", "\(p.rmax) Å is beyond the Nyquist distance pi/(2 kstep) = \(rNyquist) Å")
    }
    p.rmin = rmin
    p.rstep = rstep
    let nr = Int(((p.rmax - rmin) / rstep + 1e-9).rounded(.down)) + 1
    let r = (0..<nr).map { rmin + Double($0) * rstep }
    let nk = input.y.count
    let sizes = try morletFFTSizes(r: r, points: nk, parameters: p)
    // Rows at small R have wavelets wider than the data: their filter would need long FFTs.
    // For those, the sampled kernel itself (lags -(nk-1) ... nk-1) is convolved with y at the
    // length kernelSize >= 2 nk - 1, which is exact (linear convolution) at any width.
    let kernelSize = nextPowerOfTwo(atLeast: 2 * nk - 1)
    let kernelRows = sizes.prefix { $0 > 2 * kernelSize }.count
    let nMax = max(sizes.max() ?? 1, kernelSize)
    // Every element is written below (kernel rows, then FFT rows): no need to zero 2 x 0.5 MB.
    var re = [Double](unsafeUninitializedCapacity: nr * nk) { _, count in count = nr * nk }
    var im = [Double](unsafeUninitializedCapacity: nr * nk) { _, count in count = nr * nk }
    let spectrum = FFTBuffer(count: nMax)
    let work = FFTBuffer(count: nMax)
    let output = FFTBuffer(count: nMax)
    if kernelRows > 0 {
      morletKernelRows(
        input.y, r: Array(r[0..<kernelRows]), size: kernelSize, parameters: p, re: &re, im: &im)
    }
    let xBase = spectrum.pointer, workBase = work.pointer, out = output.pointer
    re.withUnsafeMutableBufferPointer { reOut in
      im.withUnsafeMutableBufferPointer { imOut in
        var first = kernelRows
        while first < nr {
          let n = sizes[first]
          var last = first
          while last + 1 < nr && sizes[last + 1] == n { last += 1 }
          // One forward transform of the zero-padded y for this FFT length.
          let product = work.doubles(n)
          product.update(repeating: 0)
          for j in 0..<nk { product[2 * j] = input.y[j] }
          FFTPlan.sharedAligned(count: n, direction: .forward).execute(workBase, xBase)
          let x = UnsafeBufferPointer(spectrum.doubles(n))
          let bank = MorletFilterBank.shared(parameters: p, count: n, r: Array(r[first...last]))
          let inverse = FFTPlan.sharedAligned(count: n, direction: .backward)
          let invN = 1 / Double(n)
          product.update(repeating: 0)
          for row in first...last {
            let written = bank.apply(row: row - first, to: x, into: product)
            inverse.execute(workBase, out)
            // Clear only the bins this row wrote, ready for the next row.
            for q in written { let m = q < 0 ? q + n : q; product[2 * m] = 0; product[2 * m + 1] = 0 }
            let base = row * nk
            for j in 0..<nk {
              reOut[base + j] = out[2 * j] * invN
              imOut[base + j] = out[2 * j + 1] * invN
            }
          }
          first = last + 1
        }
      }
    }
    return WaveletMap(k: input.k, r: r, re: re, im: im, parameters: p)
  }

  /// Rows of the map by direct convolution with the sampled daughter wavelet, through FFTs of
  /// length `size` >= 2 nk - 1 (exact linear convolution): W_j = sum_i y_i h_(j-i) with
  /// h_l = dk s(a) psi(l dk / a), s = a^(-1/2) (funke) or a^(-1) (amplitude), h_(-l) = conj(h_l).
  /// The kernel is generated by recurrences (rotation for the carrier, ratio for the Gaussian),
  /// re-anchored with exact values every 32 lags.
  static func morletKernelRows(
    _ y: [Double], r: [Double], size n: Int, parameters p: WaveletParameters, re: inout [Double], im: inout [Double]
  ) {
    let nk = y.count
    let dk = p.kstep
    let c = exp(-0.5 * p.eta * p.eta * p.sigma * p.sigma)
    let amplitude = 1 / ((2 * Double.pi).squareRoot() * p.sigma)
    let yHatBuffer = FFTBuffer(count: n)
    let kernelBuffer = FFTBuffer(count: n)
    let productBuffer = FFTBuffer(count: n)
    let transformed = FFTBuffer(count: n)
    let yHat = yHatBuffer.pointer, kernel = kernelBuffer.doubles(n)
    let product = productBuffer.pointer, buffer = transformed.pointer
    kernel.update(repeating: 0)
    for j in 0..<nk { kernel[2 * j] = y[j] }
    let forward = FFTPlan.sharedAligned(count: n, direction: .forward)
    let backward = FFTPlan.sharedAligned(count: n, direction: .backward)
    forward.execute(kernelBuffer.pointer, yHat)
    let invN = 1 / Double(n)
    for (row, rr) in r.enumerated() {
      let a = p.eta / (2 * rr)
      let scale = dk * amplitude * (p.normalization == .funke ? 1 / a.squareRoot() : 1 / a)
      let delta = dk / a
      kernel.update(repeating: 0)
      // Lag l >= 0 at index l; lag -l at index n - l.
      var carrier = (re: 1.0, im: 0.0)
      var gauss = 1.0
      var ratio = exp(-0.5 * delta * delta / (p.sigma * p.sigma))
      let ratioStep = exp(-delta * delta / (p.sigma * p.sigma))
      let rotation = (re: cos(p.eta * delta), im: sin(p.eta * delta))
      for l in 0..<nk {
        if l % 32 == 0 {
          let u = Double(l) * delta
          carrier = (cos(p.eta * u), sin(p.eta * u))
          gauss = exp(-0.5 * u * u / (p.sigma * p.sigma))
          ratio = exp(-0.5 * Double(2 * l + 1) * delta * delta / (p.sigma * p.sigma))
        }
        if gauss < 1e-300 { break }
        let hr = scale * (carrier.re - c) * gauss
        let hi = scale * carrier.im * gauss
        kernel[2 * l] = hr
        kernel[2 * l + 1] = hi
        if l > 0 {
          kernel[2 * (n - l)] = hr
          kernel[2 * (n - l) + 1] = -hi
        }
        carrier = (
          carrier.re * rotation.re - carrier.im * rotation.im, carrier.re * rotation.im + carrier.im * rotation.re
        )
        gauss *= ratio
        ratio *= ratioStep
      }
      forward.execute(kernelBuffer.pointer, buffer)
      for m in 0..<n {
        let ar = buffer[2 * m], ai = buffer[2 * m + 1]
        let br = yHat[2 * m], bi = yHat[2 * m + 1]
        product[2 * m] = ar * br - ai * bi
        product[2 * m + 1] = ar * bi + ai * br
      }
      backward.execute(product, buffer)
      for j in 0..<nk {
        re[row * nk + j] = buffer[2 * j] * invN
        im[row * nk + j] = buffer[2 * j + 1] * invN
      }
    }
  }

  /// FFT length for every row of a Morlet map of `points` k values. Row R needs
  /// nk + ceil(6 sigma a / dk) points (a = eta / (2R)) so that the circular convolution cannot wrap.
  /// Walking down from rmax, a new length, the power of two >= the need (capped at the need of
  /// rmin), starts whenever a row needs more than the current one: a handful of lengths, so a
  /// handful of forward transforms, short inverse transforms for the many rows at large R, and
  /// across a batch only a few distinct plans (planning costs as much as ~100 transforms).
  static func morletFFTSizes(r: [Double], points nk: Int, parameters p: WaveletParameters) throws -> [Int] {
    func need(_ rr: Double) -> Double { Double(nk) + (6 * p.sigma * p.eta / (2 * rr) / p.kstep).rounded(.up) }
    guard let rmin = r.first, need(rmin) <= Double(1 << 21) else {
      throw EXAFSError.invalidParameter(
        "rmin", "\(r.first ?? 0) Å needs an FFT longer than 2^21 points for eta sigma = \(p.eta * p.sigma); use rmin >= 0.01 Å")
    }
    let cap = Int(need(rmin))
    var sizes = [Int](repeating: 0, count: r.count)
    var current = 0
    for row in r.indices.reversed() {
      let required = Int(need(r[row]))
      if required > current { current = nextPowerOfTwo(atLeast: min(required, cap)) }
      sizes[row] = current
    }
    return sizes
  }
}

/// The real Morlet filter H(omega) = s(a) psihat(a omega) on the N-point DFT frequency grid.
struct MorletFilter {
  let eta: Double
  let sigma: Double
  let normalization: WaveletNormalization
  /// N, the DFT length.
  let count: Int
  /// Frequency step 2 pi / (N dk), rad Å.
  let dOmega: Double
  /// Admissibility constant exp(-eta^2 sigma^2 / 2).
  let correction: Double

  init(parameters p: WaveletParameters, count: Int) {
    eta = p.eta
    sigma = p.sigma
    normalization = p.normalization
    self.count = count
    dOmega = 2 * Double.pi / (Double(count) * p.kstep)
    correction = exp(-0.5 * p.eta * p.eta * p.sigma * p.sigma)
  }

  /// psihat(xi) = exp(-sigma^2 (xi - eta)^2 / 2) - c exp(-sigma^2 xi^2 / 2).
  func psihat(_ xi: Double) -> Double {
    let d = xi - eta
    return exp(-0.5 * sigma * sigma * d * d) - correction * exp(-0.5 * sigma * sigma * xi * xi)
  }

  /// The DFT indices q (negative for negative frequencies) where H is not negligible for the
  /// scale of `r`: a omega within -9.2/sigma ... eta + 9.2/sigma. Empty when none.
  func band(r: Double) -> Range<Int> {
    let a = eta / (2 * r)
    let reach = (2 * WaveletTransform.negligibleExponent).squareRoot() / sigma
    let qMin = -(count - 1 - count / 2)
    let qMax = count / 2
    let step = a * dOmega
    let lo = Int(max(Double(qMin), ((-reach) / step).rounded(.down)))
    let hi = Int(min(Double(qMax), ((eta + reach) / step).rounded(.up)))
    return lo <= hi ? lo..<(hi + 1) : 0..<0
  }

  /// H(omega_q) = s(a) psihat(a omega_q) for the scale of `r`.
  @inline(__always)
  func value(q: Int, r: Double) -> Double {
    let a = eta / (2 * r)
    let scale = normalization == .funke ? a.squareRoot() : 1
    return scale * psihat(a * dOmega * Double(q))
  }
}

/// Smallest power of two >= n: few distinct FFT lengths (so few plans across a batch) and FFTW's
/// fastest codelets.
func nextPowerOfTwo(atLeast n: Int) -> Int {
  var p = 1
  while p < n { p <<= 1 }
  return p
}

/// The Morlet filter of consecutive rows for one FFT length, evaluated once: the values depend
/// only on the parameters, the FFT length and the R grid, so every spectrum of a batch with the
/// same grid reuses them (the two exponentials per bin were a third of the map's time).
final class MorletFilterBank: Sendable {
  private struct Key: Hashable {
    let count: Int
    let eta: Double
    let sigma: Double
    let kstep: Double
    let normalization: WaveletNormalization
    let r: [Double]
  }

  /// First DFT index q of each row's band.
  private let lo: [Int]
  /// Start of each row's values in `values`; the row's band has offsets[row+1] - offsets[row] bins.
  private let offsets: [Int]
  /// H(omega_q) of every row, band after band.
  private let values: [Double]
  private let count: Int

  private init(filter: MorletFilter, r: [Double]) {
    count = filter.count
    var lo: [Int] = []
    var offsets: [Int] = [0]
    var values: [Double] = []
    for rr in r {
      let band = filter.band(r: rr)
      lo.append(band.lowerBound)
      for q in band { values.append(filter.value(q: q, r: rr)) }
      offsets.append(values.count)
    }
    self.lo = lo
    self.offsets = offsets
    self.values = values
  }

  private static let cache = GridCache<Key, MorletFilterBank>()

  /// The bank for `r` (consecutive rows sharing the FFT length `count`), made on first use.
  static func shared(parameters p: WaveletParameters, count: Int, r: [Double]) -> MorletFilterBank {
    let key = Key(count: count, eta: p.eta, sigma: p.sigma, kstep: p.kstep, normalization: p.normalization, r: r)
    return cache.value(for: key) { MorletFilterBank(filter: MorletFilter(parameters: p, count: count), r: r) }
  }

  /// Writes X_q H(omega_q) (interleaved complex) of row `row` into `product`, skipping bins where
  /// H is negligible, and returns the bins written (DFT indices q, negative for negative
  /// frequencies) so that the caller can clear them.
  /// - Precondition: `product` is zero outside the bins written.
  func apply(row: Int, to x: UnsafeBufferPointer<Double>, into product: UnsafeMutableBufferPointer<Double>)
    -> Range<Int>
  {
    let start = offsets[row], bins = offsets[row + 1] - start
    guard bins > 0 else { return 0..<0 }
    let first = lo[row]
    values.withUnsafeBufferPointer { h in
      for i in 0..<bins {
        let q = first + i
        let m = q < 0 ? q + count : q
        product[2 * m] = x[2 * m] * h[start + i]
        product[2 * m + 1] = x[2 * m + 1] * h[start + i]
      }
    }
    return first..<(first + bins)
  }
}
