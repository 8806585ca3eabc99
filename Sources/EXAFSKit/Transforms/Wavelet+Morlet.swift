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
  /// Rows whose N would exceed K, the power of two >= 2 nk - 1, are instead the linear convolution
  /// of y with the sampled daughter wavelet (lags -(nk-1) ... nk-1) at length K, exact at any width;
  /// the K-point spectra of those kernels are made once per grid (`MorletMapPlan`), so such a row
  /// costs one product and one inverse transform of K points.
  /// The plan (lengths, filters, kernel spectra; all divided by their transform length, a power of
  /// two, so the results are the same bits as dividing afterwards) is shared by every spectrum
  /// with the same grid; the three work buffers are allocated once per map.
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
    let nk = input.y.count
    let plan = try MorletMapPlan.shared(parameters: p, rows: nr, points: nk)
    // Every element is written below (kernel rows, then FFT rows): no need to zero 2 x 0.5 MB.
    var re = [Double](unsafeUninitializedCapacity: nr * nk) { _, count in count = nr * nk }
    var im = [Double](unsafeUninitializedCapacity: nr * nk) { _, count in count = nr * nk }
    let spectrum = FFTBuffer(count: plan.maxLength)
    let work = FFTBuffer(count: plan.maxLength)
    let output = FFTBuffer(count: plan.maxLength)
    let xBase = spectrum.pointer, workBase = work.pointer, out = output.pointer
    /// The zero-padded y of length n, transformed forward into `spectrum`.
    func transformData(length n: Int) {
      let buffer = work.doubles(n)
      buffer.update(repeating: 0)
      for j in 0..<nk { buffer[2 * j] = input.y[j] }
      FFTPlan.sharedAligned(count: n, direction: .forward).execute(workBase, xBase)
    }
    re.withUnsafeMutableBufferPointer { reOut in
      im.withUnsafeMutableBufferPointer { imOut in
        let reBase = reOut.baseAddress!, imBase = imOut.baseAddress!
        if plan.kernelRows > 0 {
          let n = plan.kernelLength
          transformData(length: n)
          let inverse = FFTPlan.sharedAligned(count: n, direction: .backward)
          for row in 0..<plan.kernelRows {
            plan.multiplyKernel(row: row, by: UnsafePointer(xBase), into: workBase)
            inverse.execute(workBase, out)
            deinterleave(out, count: nk, re: reBase + row * nk, im: imBase + row * nk)
          }
        }
        for group in plan.groups {
          let n = group.length
          transformData(length: n)
          let x = UnsafeBufferPointer(spectrum.doubles(n))
          let product = work.doubles(n)
          product.update(repeating: 0)
          let inverse = FFTPlan.sharedAligned(count: n, direction: .backward)
          for row in group.rows {
            let written = group.filters.apply(row: row - group.rows.lowerBound, to: x, into: product)
            inverse.execute(workBase, out)
            // Clear only the bins this row wrote, ready for the next row.
            for q in written { let m = q < 0 ? q + n : q; product[2 * m] = 0; product[2 * m + 1] = 0 }
            deinterleave(out, count: nk, re: reBase + row * nk, im: imBase + row * nk)
          }
        }
      }
    }
    return WaveletMap(k: input.k, r: plan.r, re: re, im: im, parameters: p)
  }

  /// Splits `count` interleaved complex values into their real and imaginary parts.
  @inline(__always)
  static func deinterleave(
    _ z: UnsafePointer<Double>, count: Int, re: UnsafeMutablePointer<Double>, im: UnsafeMutablePointer<Double>
  ) {
    for j in 0..<count {
      re[j] = z[2 * j]
      im[j] = z[2 * j + 1]
    }
  }

  /// The sampled daughter wavelet of each R in `r` as a circular kernel of length n >= 2 nk - 1
  /// (lags l = 0 ... nk-1 at index l, lags -l at n - l, zero elsewhere): h_l = dk s(a) psi(l dk / a),
  /// s = a^(-1/2) (funke) or a^(-1) (amplitude), h_(-l) = conj(h_l), so that the circular
  /// convolution with y (nk points, zero-padded) is the exact linear one W_j = sum_i y_i h_(j-i).
  /// Returns the kernels' n-point forward transforms divided by n, row after row (interleaved
  /// complex). The kernel is generated by recurrences (rotation for the carrier, ratio for the
  /// Gaussian), re-anchored with exact values every 32 lags.
  static func morletKernelSpectra(
    r: [Double], points nk: Int, size n: Int, parameters p: WaveletParameters
  ) -> [Double] {
    let dk = p.kstep
    let c = exp(-0.5 * p.eta * p.eta * p.sigma * p.sigma)
    let amplitude = 1 / ((2 * Double.pi).squareRoot() * p.sigma)
    let kernelBuffer = FFTBuffer(count: n)
    let transformed = FFTBuffer(count: n)
    let kernel = kernelBuffer.doubles(n)
    let forward = FFTPlan.sharedAligned(count: n, direction: .forward)
    let invN = 1 / Double(n)
    var spectra = [Double](repeating: 0, count: r.count * 2 * n)
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
      forward.execute(kernelBuffer.pointer, transformed.pointer)
      let base = row * 2 * n
      for m in 0..<(2 * n) { spectra[base + m] = transformed.pointer[m] * invN }
    }
    return spectra
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

/// p_m = a_m b_m for `count` interleaved complex values (p may not overlap a or b).
/// (A 4-lane SIMD version of this loop took more instructions, 24 M against 18 M per 50 maps.)
@inline(__always)
func multiplyComplex(
  _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into p: UnsafeMutablePointer<Double>, count: Int
) {
  for m in 0..<count {
    let ar = a[2 * m], ai = a[2 * m + 1]
    let br = b[2 * m], bi = b[2 * m + 1]
    p[2 * m] = ar * br - ai * bi
    p[2 * m + 1] = ar * bi + ai * br
  }
}

/// Smallest power of two >= n: few distinct FFT lengths (so few plans across a batch) and FFTW's
/// fastest codelets.
func nextPowerOfTwo(atLeast n: Int) -> Int {
  var p = 1
  while p < n { p <<= 1 }
  return p
}

/// The Morlet filter of consecutive rows for one FFT length, evaluated once per grid (in a
/// `MorletMapPlan`): the values depend only on the parameters, the FFT length and the R grid, so
/// every spectrum of a batch with the same grid reuses them (the two exponentials per bin were a
/// third of the map's time). The values are H(omega_q) / N: N is a power of two, so this is exact
/// and the inverse transform needs no scaling afterwards.
final class MorletFilterBank: Sendable {
  /// First DFT index q of each row's band.
  private let lo: [Int]
  /// Start of each row's values in `values`; the row's band has offsets[row+1] - offsets[row] bins.
  private let offsets: [Int]
  /// H(omega_q) / N of every row, band after band.
  private let values: [Double]
  private let count: Int

  init(filter: MorletFilter, r: [Double]) {
    count = filter.count
    let invN = 1 / Double(filter.count)
    var lo: [Int] = []
    var offsets: [Int] = [0]
    var values: [Double] = []
    for rr in r {
      let band = filter.band(r: rr)
      lo.append(band.lowerBound)
      for q in band { values.append(filter.value(q: q, r: rr) * invN) }
      offsets.append(values.count)
    }
    self.lo = lo
    self.offsets = offsets
    self.values = values
  }

  /// Writes X_q H(omega_q) / N (interleaved complex) of row `row` into `product`, skipping bins where
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

/// Everything of a Morlet map that depends only on the grid (parameters, R rows, number of k
/// points) and not on the data: the R values, which rows are direct convolutions and the spectra
/// of their kernels, and the FFT rows grouped by length with their filters. Made once per grid and
/// shared by every spectrum of a batch with that grid.
final class MorletMapPlan: Sendable {
  private struct Key: Hashable {
    let eta: Double
    let sigma: Double
    let kstep: Double
    let normalization: WaveletNormalization
    let rmin: Double
    let rstep: Double
    let rows: Int
    let points: Int
  }

  /// Consecutive FFT rows sharing one transform length.
  struct Group: Sendable {
    let rows: ClosedRange<Int>
    let length: Int
    let filters: MorletFilterBank
  }

  /// R of each row, Å.
  let r: [Double]
  /// Rows 0 ..< kernelRows are direct convolutions at `kernelLength` points.
  let kernelRows: Int
  /// K, the power of two >= 2 nk - 1.
  let kernelLength: Int
  /// The kernel rows' K-point kernel spectra divided by K, row after row (interleaved complex).
  private let kernelSpectra: [Double]
  /// The other rows, by transform length.
  let groups: [Group]
  /// The longest transform of the map (the work buffers' size).
  let maxLength: Int

  private init(parameters p: WaveletParameters, rows nr: Int, points nk: Int) throws {
    let rmin = p.rmin ?? p.resolvedRstep
    let rstep = p.resolvedRstep
    let r = (0..<nr).map { rmin + Double($0) * rstep }
    let sizes = try WaveletTransform.morletFFTSizes(r: r, points: nk, parameters: p)
    let kernelLength = nextPowerOfTwo(atLeast: 2 * nk - 1)
    // The lengths fall with R: the rows that would need more than K points come first.
    let kernelRows = sizes.prefix { $0 > kernelLength }.count
    self.r = r
    self.kernelLength = kernelLength
    self.kernelRows = kernelRows
    kernelSpectra =
      kernelRows > 0
      ? WaveletTransform.morletKernelSpectra(
        r: Array(r[0..<kernelRows]), points: nk, size: kernelLength, parameters: p)
      : []
    var groups: [Group] = []
    var first = kernelRows
    while first < nr {
      let n = sizes[first]
      var last = first
      while last + 1 < nr && sizes[last + 1] == n { last += 1 }
      let bank = MorletFilterBank(filter: MorletFilter(parameters: p, count: n), r: Array(r[first...last]))
      groups.append(Group(rows: first...last, length: n, filters: bank))
      first = last + 1
    }
    self.groups = groups
    maxLength = max(kernelRows > 0 ? kernelLength : 1, groups.map(\.length).max() ?? 1)
  }

  private static let cache = GridCache<Key, Result<MorletMapPlan, EXAFSError>>(limit: 16)

  /// The plan for `rows` R values from p.rmin in steps of p.rstep and `points` k values.
  static func shared(parameters p: WaveletParameters, rows: Int, points: Int) throws -> MorletMapPlan {
    let key = Key(
      eta: p.eta, sigma: p.sigma, kstep: p.kstep, normalization: p.normalization,
      rmin: p.rmin ?? p.resolvedRstep, rstep: p.resolvedRstep, rows: rows, points: points)
    return try cache.value(for: key) {
      do { return .success(try MorletMapPlan(parameters: p, rows: rows, points: points)) } catch let error
        as EXAFSError
      {
        return .failure(error)
      } catch {
        return .failure(.numerical("Morlet map: \(error)"))
      }
    }.get()
  }

  /// Writes X_m K_m (interleaved complex, `kernelLength` points) of kernel row `row` into `product`.
  @inline(__always)
  func multiplyKernel(row: Int, by x: UnsafePointer<Double>, into product: UnsafeMutablePointer<Double>) {
    let n = kernelLength
    kernelSpectra.withUnsafeBufferPointer { spectra in
      multiplyComplex(spectra.baseAddress! + row * 2 * n, x, into: product, count: n)
    }
  }
}
