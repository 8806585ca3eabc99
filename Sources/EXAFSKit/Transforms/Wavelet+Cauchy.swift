// Cauchy wavelet map with the grid, order and normalization of Larch's cauchy_wavelet.
import Foundation
import Synchronization

extension WaveletTransform {
  /// The Cauchy map of `input`, reproducing Larch's `cauchy_wavelet` (Muñoz, Argoul & Farges,
  /// Am. Mineral. 88, 694 (2003)).
  ///
  /// Cauchy (Paul) wavelet of order n: psi_n(x) = (i / (x + i))^(n+1), whose Fourier transform is
  /// psihat_n(w) = 2 pi w^n e^(-w) / n! for w > 0 and 0 otherwise (analytic). With a = n / (2R),
  ///
  ///     W(b, R) = (1/a) Integral y(k) conj(psi_n((k - b) / a)) dk
  ///             = (1/2 pi) Integral Y(omega) psihat_n(a omega) e^(i omega b) d omega      (L1)
  ///
  /// so a pure A sin(2 R0 k) gives a ridge at R0 of height (A/2) 2 pi n^n e^(-n) / n! ≈ (A/2) sqrt(2 pi / n).
  /// The filter is evaluated in logarithms, log(2 pi) - lgamma(n + 1) + n log(a omega) - a omega,
  /// so it neither overflows nor loses digits for n in the hundreds.
  ///
  /// Larch's conventions, all kept: rstep = pi / (2048 kstep) unless given;
  /// nrpts = round((rmax - 1e-7) / rstep); R_i = i rmax / (nrpts - 1) (linspace from 0, the R = 0
  /// row is 0); order n = nrpts unless `cauchyOrder` is set (so changing rmax or kstep changes the
  /// resolution, like a Morlet with eta sigma = sqrt(n)); y = k^w chi(k) with no window, placed from
  /// k = kmin on the grid (Larch: from k = 0) in a buffer of nfft/2 = 1024 points; FFT length
  /// 2 nfft = 4096; only the nfft non-negative frequencies below Nyquist, omega_m = 2 pi m / (2 nfft dk),
  /// are filtered, the rest set to 0; W = inverse FFT / (2 nfft). Where Larch would truncate data
  /// longer than 1024 points, nfft is doubled instead. Rows whose daughter wavelet is narrower
  /// than the buffer use a shorter transform with the same first nk outputs to 1e-15 of the
  /// wavelet's peak (`CauchyFilterBank`): 2,048, 1,024 or 512 points instead of 4,096 above
  /// 0.7, 1.6 and 4.7 Å for 240 k points and n = 195.
  static func cauchyMap(_ input: WaveletInput) throws -> WaveletMap {
    var p = input.parameters
    let dk = p.kstep
    let rstep = p.resolvedRstep
    let nr = Int(((p.rmax - 1e-7) / rstep).rounded(.toNearestOrEven))
    guard nr >= 2 else {
      throw EXAFSError.invalidParameter("rmax", "\(p.rmax) Å gives fewer than 2 R points at rstep \(rstep) Å")
    }
    let rNyquist = Double.pi / (2 * dk)
    guard p.rmax <= rNyquist else {
      throw EXAFSError.invalidParameter(
        "rmax", "\(p.rmax) Å is beyond the Nyquist distance pi/(2 kstep) = \(rNyquist) Å")
    }
    let order = p.cauchyOrder ?? nr
    p.cauchyOrder = order
    p.rstep = rstep
    p.rmin = 0
    let r = (0..<nr).map { Double($0) * p.rmax / Double(nr - 1) }
    let nk = input.y.count
    var nfft = 2048
    while nfft / 2 < nk { nfft *= 2 }
    let n = 2 * nfft
    // Every element is written below (row 0 is set to 0, the others from their transform).
    var re = [Double](unsafeUninitializedCapacity: nr * nk) { _, count in count = nr * nk }
    var im = [Double](unsafeUninitializedCapacity: nr * nk) { _, count in count = nr * nk }
    // The filter values of the whole grid and each row's transform length, made once per batch
    // (`CauchyFilterBank`): the exponential per bin and row was most of the time, and Larch's
    // 4,096-point inverse transform per row is needed only where the daughter wavelet is wide.
    let bank = CauchyFilterBank.shared(order: order, count: n, kstep: dk, r: r, points: nk)
    // SIMD-aligned buffers (FFTW's vector codelets): one forward transform of y per length used.
    let work = FFTBuffer(count: n), output = FFTBuffer(count: n)
    let product = work.doubles(n)
    var spectra: [Int: FFTBuffer] = [:]
    var used = Set(bank.lengths[bank.kernelRows...].dropFirst(bank.kernelRows == 0 ? 1 : 0))
    if bank.kernelRows > 1 { used.insert(bank.kernelLength) }
    for length in used {
      let spectrum = FFTBuffer(count: length)
      let buffer = work.doubles(length)
      buffer.update(repeating: 0)
      for j in 0..<nk { buffer[2 * j] = input.y[j] }
      FFTPlan.sharedAligned(count: length, direction: .forward).execute(work.pointer, spectrum.pointer)
      spectra[length] = spectrum
    }
    let out = output.pointer
    re.withUnsafeMutableBufferPointer { reOut in
      im.withUnsafeMutableBufferPointer { imOut in
        let reBase = reOut.baseAddress!, imBase = imOut.baseAddress!
        // Row 0 is R = 0: a is infinite and psihat(a omega) = 0 at every frequency.
        for j in 0..<nk {
          reOut[j] = 0
          imOut[j] = 0
        }
        // Rows 1 ..< kernelRows: the exact convolution with the row's kernel at K points.
        if bank.kernelRows > 1 {
          let length = bank.kernelLength
          let inverse = FFTPlan.sharedAligned(count: length, direction: .backward)
          let x = UnsafePointer(spectra[length]!.pointer)
          for row in 1..<bank.kernelRows {
            bank.multiplyKernel(row: row, by: x, into: work.pointer)
            inverse.execute(work.pointer, out)
            WaveletTransform.deinterleave(out, count: nk, re: reBase + row * nk, im: imBase + row * nk)
          }
        }
        product.update(repeating: 0)
        var length = 0
        var inverse: FFTPlan?
        var x = UnsafeBufferPointer<Double>(start: nil, count: 0)
        for row in max(1, bank.kernelRows)..<nr {
          if bank.lengths[row] != length {
            length = bank.lengths[row]
            inverse = FFTPlan.sharedAligned(count: length, direction: .backward)
            x = UnsafeBufferPointer(spectra[length]!.doubles(length))
          }
          let band = bank.apply(row: row, to: x, into: product)
          inverse!.execute(work.pointer, out)
          for m in band { product[2 * m] = 0; product[2 * m + 1] = 0 }
          WaveletTransform.deinterleave(out, count: nk, re: reBase + row * nk, im: imBase + row * nk)
        }
      }
    }
    withExtendedLifetime(spectra) {}
    return WaveletMap(k: input.k, r: r, re: re, im: im, parameters: p)
  }
}

/// The Cauchy filter psihat_n(a_R omega) of every row of one grid, with each row's transform
/// length, evaluated once per batch (the values depend only on the order, Larch's FFT length N,
/// kstep, the R grid and the number of k points).
///
/// Transform length: Larch transforms every row at N = 4096. Only the nk outputs j < nk are used,
/// and y occupies the first nk points, so a row may use any L = N / D (D a power of two) with
/// L >= nk + w, where w is the half-width (points) beyond which the daughter wavelet
/// |psi(x)| = (1 + x^2)^(-(n+1)/2), x = l dk / a, has fallen below 1e-15 of its peak: the L-point
/// transform of y gives X at every D-th frequency of the N-point one (y has no points past L), and
/// the L-point inverse of those samples, divided by L, is the N-point result aliased by L
/// (Poisson summation), i.e. W_j plus W at j +- L, j +- 2L ..., where the wavelet placed anywhere
/// on the data is below 1e-15 of its peak. At n = 195 (rmax = 6 Å) w = 1,267 / R points (R in Å), so
/// with 240 k points rows from 0.7, 1.6 and 4.7 Å use 2,048, 1,024 and 512 points instead of
/// 4,096; rows at small R, whose wavelets are wider than the data (and wrap around Larch's
/// buffer), keep N.
///
/// Each row keeps the bins within 41.5 e-folds (1e-18) of its largest value; the bins left out
/// change W by less than 1e-18 of the row's peak filter value times the sum of |X|, far below the
/// 1e-5 agreement with Larch (the ones Larch computes there underflow or vanish in the rounding of
/// the sum anyway).
final class CauchyFilterBank: Sendable {
  private struct Key: Hashable {
    let order: Int
    let count: Int
    let kstep: Double
    let r: [Double]
    let points: Int
  }

  /// Transform length of each row (N for row 0, which is not transformed).
  let lengths: [Int]
  /// K, the power of two >= 2 nk - 1: rows 1 ..< kernelRows, whose length would exceed it, are
  /// computed as the exact linear convolution of y with the row's kernel g (lags -(nk-1) ... nk-1
  /// of the L-point inverse transform of the filter, i.e. exactly the circular convolution of the
  /// L-point evaluation, wrap-around of Larch's buffer included) at K points.
  let kernelLength: Int
  /// Rows 0 ..< kernelRows have length > K (row 0, R = 0, is zero and not transformed).
  let kernelRows: Int
  /// The K-point spectra of those rows' kernels divided by K, row after row (interleaved complex;
  /// row 0's slot unused).
  private let kernelSpectra: [Double]
  /// First bin of each row's band.
  private let lo: [Int]
  /// Start of each row's values in `values` (row i has offsets[i+1] - offsets[i] bins).
  private let offsets: [Int]
  private let values: [Double]

  /// Relative size below which the daughter wavelet's tails may alias (see the type's notes).
  static let aliasBound = 1e-15

  /// The shortest power-of-two length L <= n (and >= nk) whose aliasing leaves the first nk
  /// outputs of row R exact to `aliasBound` (see the type's notes).
  static func length(order: Int, r: Double, kstep: Double, points nk: Int, count n: Int) -> Int {
    guard r > 0 else { return n }
    // (n+1)/2 ln(1 + x^2) >= ln(1/bound)  <=>  x >= sqrt(expm1(2 ln(1/bound) / (n+1))).
    let x = expm1(2 * (-log(aliasBound)) / Double(order + 1)).squareRoot()
    let a = Double(order) / (2 * r)
    let halfWidth = x * a / kstep
    guard halfWidth.isFinite, halfWidth < Double(n) else { return n }
    return min(n, nextPowerOfTwo(atLeast: nk + Int(halfWidth.rounded(.up)) + 1))
  }

  private init(order: Int, count n: Int, kstep: Double, r: [Double], points: Int) {
    let nOrder = Double(order)
    let logNorm = log(2 * Double.pi) - lgamma(nOrder + 1)
    var lengths: [Int] = [], lo: [Int] = [], offsets: [Int] = [0], values: [Double] = []
    for rr in r {
      guard rr > 0 else {
        lengths.append(n)
        lo.append(1)
        offsets.append(values.count)
        continue
      }
      let length = Self.length(order: order, r: rr, kstep: kstep, points: points, count: n)
      lengths.append(length)
      // The frequencies of the L-point grid are every (N/L)-th of Larch's N-point grid:
      // omega_l = 2 pi l / (L dk), l = 1 ... L/2 - 1 (Larch's m = 1 ... N/2 - 1).
      let dOmega = 2 * Double.pi / (Double(length) * kstep)
      let a = nOrder / (2 * rr)
      let logA = log(a)
      // log psihat(a omega) = logNorm + n log(a omega) - a omega, largest at a omega = n.
      let fmax = logNorm + nOrder * log(nOrder) - nOrder
      let cut = max(fmax - 41.5, -WaveletTransform.underflowExponent)
      var first = -1
      var row: [Double] = []
      for m in 1..<(length / 2) {
        let f = logNorm + nOrder * (logA + log(Double(m) * dOmega)) - a * Double(m) * dOmega
        // The filter is unimodal: once past the band, every later bin is smaller still.
        if f < cut {
          if first >= 0 { break }
          continue
        }
        if first < 0 { first = m }
        // Divided by L (a power of two: exact), so the inverse transform needs no scaling.
        row.append(exp(f) / Double(length))
      }
      lo.append(max(first, 1))
      values += row
      offsets.append(values.count)
    }
    self.lengths = lengths
    self.lo = lo
    self.offsets = offsets
    self.values = values
    let k = nextPowerOfTwo(atLeast: 2 * points - 1)
    let kernelRows = lengths.prefix { $0 > k }.count
    kernelLength = k
    self.kernelRows = kernelRows
    kernelSpectra = Self.kernelSpectra(
      rows: kernelRows, lengths: lengths, lo: lo, offsets: offsets, values: values, points: points, size: k)
  }

  /// The K-point spectra (divided by K) of the kernels of rows 1 ..< rows: g = the row's L-point
  /// inverse transform of its filter values (already divided by L), at lags 0 ... nk-1 (index l)
  /// and -1 ... -(nk-1) (index K - l).
  private static func kernelSpectra(
    rows: Int, lengths: [Int], lo: [Int], offsets: [Int], values: [Double], points nk: Int, size k: Int
  ) -> [Double] {
    guard rows > 1 else { return [] }
    var spectra = [Double](repeating: 0, count: rows * 2 * k)
    let longest = lengths[1..<rows].max() ?? k
    let filter = FFTBuffer(count: longest), g = FFTBuffer(count: longest)
    let kernel = FFTBuffer(count: k), spectrum = FFTBuffer(count: k)
    let forward = FFTPlan.sharedAligned(count: k, direction: .forward)
    let invK = 1 / Double(k)
    for row in 1..<rows {
      let length = lengths[row]
      let h = filter.doubles(length)
      h.update(repeating: 0)
      for i in 0..<(offsets[row + 1] - offsets[row]) { h[2 * (lo[row] + i)] = values[offsets[row] + i] }
      FFTPlan.sharedAligned(count: length, direction: .backward).execute(filter.pointer, g.pointer)
      let kz = kernel.doubles(k)
      kz.update(repeating: 0)
      let gp = g.pointer
      for l in 0..<min(nk, length) {
        kz[2 * l] = gp[2 * l]
        kz[2 * l + 1] = gp[2 * l + 1]
        if l > 0 {
          kz[2 * (k - l)] = gp[2 * (length - l)]
          kz[2 * (k - l) + 1] = gp[2 * (length - l) + 1]
        }
      }
      forward.execute(kernel.pointer, spectrum.pointer)
      let base = row * 2 * k
      for m in 0..<(2 * k) { spectra[base + m] = spectrum.pointer[m] * invK }
    }
    return spectra
  }

  /// Writes X_m S_m (interleaved complex, K points) of kernel row `row` into `product`.
  @inline(__always)
  func multiplyKernel(row: Int, by x: UnsafePointer<Double>, into product: UnsafeMutablePointer<Double>) {
    let n = kernelLength
    kernelSpectra.withUnsafeBufferPointer { spectra in
      multiplyComplex(spectra.baseAddress! + row * 2 * n, x, into: product, count: n)
    }
  }

  private static let cache = GridCache<Key, CauchyFilterBank>()

  /// The bank of one grid, made on first use and shared by every spectrum with that grid.
  static func shared(order: Int, count: Int, kstep: Double, r: [Double], points: Int) -> CauchyFilterBank {
    cache.value(for: Key(order: order, count: count, kstep: kstep, r: r, points: points)) {
      CauchyFilterBank(order: order, count: count, kstep: kstep, r: r, points: points)
    }
  }

  /// Writes X_m psihat(a omega_m) of `row` into `product` (interleaved complex, the row's length)
  /// and returns the bins written, for the caller to clear.
  /// - Precondition: `product` is zero elsewhere; `x` is the transform of y at the row's length.
  func apply(row: Int, to x: UnsafeBufferPointer<Double>, into product: UnsafeMutableBufferPointer<Double>)
    -> Range<Int>
  {
    let start = offsets[row], bins = offsets[row + 1] - start
    guard bins > 0 else { return 0..<0 }
    let first = lo[row]
    values.withUnsafeBufferPointer { h in
      for i in 0..<bins {
        let m = first + i
        product[2 * m] = x[2 * m] * h[start + i]
        product[2 * m + 1] = x[2 * m + 1] * h[start + i]
      }
    }
    return first..<(first + bins)
  }
}
