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
  /// longer than 1024 points, nfft is doubled instead.
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
    var re = [Double](repeating: 0, count: nr * nk)
    var im = [Double](repeating: 0, count: nr * nk)
    // SIMD-aligned buffers (FFTW's vector codelets) and the filter values of the whole grid, made
    // once per batch (`CauchyFilterBank`): the exponential per bin and row was most of the time.
    let work = FFTBuffer(count: n), spectrum = FFTBuffer(count: n), output = FFTBuffer(count: n)
    let product = work.doubles(n)
    product.update(repeating: 0)
    for j in 0..<nk { product[2 * j] = input.y[j] }
    FFTPlan.sharedAligned(count: n, direction: .forward).execute(work.pointer, spectrum.pointer)
    product.update(repeating: 0)
    let x = UnsafeBufferPointer(spectrum.doubles(n))
    let out = output.pointer
    let bank = CauchyFilterBank.shared(order: order, count: n, kstep: dk, r: r)
    let inverse = FFTPlan.sharedAligned(count: n, direction: .backward)
    let invN = 1 / Double(n)
    re.withUnsafeMutableBufferPointer { reOut in
      im.withUnsafeMutableBufferPointer { imOut in
        // Row 0 is R = 0: a is infinite and psihat(a omega) = 0 at every frequency.
        for row in 1..<nr {
          let band = bank.apply(row: row, to: x, into: product)
          inverse.execute(work.pointer, out)
          for m in band { product[2 * m] = 0; product[2 * m + 1] = 0 }
          let base = row * nk
          for j in 0..<nk {
            reOut[base + j] = out[2 * j] * invN
            imOut[base + j] = out[2 * j + 1] * invN
          }
        }
      }
    }
    return WaveletMap(k: input.k, r: r, re: re, im: im, parameters: p)
  }
}

/// The Cauchy filter psihat_n(a_R omega_m) of every row of one grid, evaluated once per batch (the
/// values depend only on the order, FFT length, kstep and R grid). Each row keeps the bins within
/// 41.5 e-folds (1e-18) of its largest value; the bins left out change W by less than 1e-18 of the
/// row's peak filter value times the sum of |X|, far below the 1e-5 agreement with Larch (the ones
/// Larch computes there underflow or vanish in the rounding of the sum anyway).
final class CauchyFilterBank: Sendable {
  private struct Key: Hashable {
    let order: Int
    let count: Int
    let kstep: Double
    let r: [Double]
  }

  /// First bin of each row's band.
  private let lo: [Int]
  /// Start of each row's values in `values` (row i has offsets[i+1] - offsets[i] bins).
  private let offsets: [Int]
  private let values: [Double]

  private init(order: Int, count n: Int, kstep: Double, r: [Double]) {
    let nfft = n / 2
    let dOmega = 2 * Double.pi / (Double(n) * kstep)
    let nOrder = Double(order)
    let logNorm = log(2 * Double.pi) - lgamma(nOrder + 1)
    var lo: [Int] = [], offsets: [Int] = [0], values: [Double] = []
    for rr in r {
      guard rr > 0 else {
        lo.append(1)
        offsets.append(values.count)
        continue
      }
      let a = nOrder / (2 * rr)
      let logA = log(a)
      // log psihat(a omega) = logNorm + n log(a omega) - a omega, largest at a omega = n.
      let fmax = logNorm + nOrder * log(nOrder) - nOrder
      let cut = max(fmax - 41.5, -WaveletTransform.underflowExponent)
      var first = -1
      var row: [Double] = []
      for m in 1..<nfft {
        let f = logNorm + nOrder * (logA + log(Double(m) * dOmega)) - a * Double(m) * dOmega
        // The filter is unimodal: once past the band, every later bin is smaller still.
        if f < cut {
          if first >= 0 { break }
          continue
        }
        if first < 0 { first = m }
        row.append(exp(f))
      }
      lo.append(max(first, 1))
      values += row
      offsets.append(values.count)
    }
    self.lo = lo
    self.offsets = offsets
    self.values = values
  }

  private static let cache = GridCache<Key, CauchyFilterBank>()

  /// The bank of one grid, made on first use and shared by every spectrum with that grid.
  static func shared(order: Int, count: Int, kstep: Double, r: [Double]) -> CauchyFilterBank {
    cache.value(for: Key(order: order, count: count, kstep: kstep, r: r)) {
      CauchyFilterBank(order: order, count: count, kstep: kstep, r: r)
    }
  }

  /// Writes X_m psihat(a omega_m) of `row` into `product` (interleaved complex) and returns the
  /// bins written, for the caller to clear. - Precondition: `product` is zero elsewhere.
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
