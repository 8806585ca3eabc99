// Cauchy wavelet map with the grid, order and normalization of Larch's cauchy_wavelet.
import Foundation

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
    var work = [Double](repeating: 0, count: 2 * n)
    for j in 0..<nk { work[2 * j] = input.y[j] }
    var spectrum = [Double]()
    FFTPlan.shared(count: n, direction: .forward).execute(&work, into: &spectrum)
    let dOmega = 2 * Double.pi / (Double(n) * dk)
    let logOmega = (0..<nfft).map { $0 == 0 ? -Double.infinity : log(Double($0) * dOmega) }
    let logNorm = log(2 * Double.pi) - lgamma(Double(order) + 1)
    let nOrder = Double(order)
    var output = [Double](repeating: 0, count: 2 * n)
    spectrum.withUnsafeBufferPointer { x in
      work.withUnsafeMutableBufferPointer { product in
        output.withUnsafeMutableBufferPointer { out in
          guard let productBase = product.baseAddress, let outBase = out.baseAddress else { return }
          let inverse = FFTPlan.shared(count: n, direction: .backward)
          let invN = 1 / Double(n)
          // Row 0 is R = 0: a is infinite and psihat(a omega) = 0 at every frequency.
          for row in 1..<nr {
            let a = nOrder / (2 * r[row])
            let logA = log(a)
            product.update(repeating: 0)
            for m in 1..<nfft {
              let f = logNorm + nOrder * (logA + logOmega[m]) - a * Double(m) * dOmega
              if f < -WaveletTransform.underflowExponent { continue }
              let h = exp(f)
              product[2 * m] = x[2 * m] * h
              product[2 * m + 1] = x[2 * m + 1] * h
            }
            inverse.execute(productBase, outBase)
            for j in 0..<nk {
              re[row * nk + j] = out[2 * j] * invN
              im[row * nk + j] = out[2 * j + 1] * invN
            }
          }
        }
      }
    }
    return WaveletMap(k: input.k, r: r, re: re, im: im, parameters: p)
  }
}
