// Morlet wavelet map (Funke, Scheinost & Chukalina 2005), evaluated in the Fourier domain with FFTW.
import Foundation

extension WaveletTransform {
  /// Exponents below -745 underflow to 0 in Double; filter bins beyond that are skipped, not
  /// approximated, so skipping them changes nothing.
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
    let nMax = sizes.max() ?? 1
    var re = [Double](repeating: 0, count: nr * nk)
    var im = [Double](repeating: 0, count: nr * nk)
    var spectrum = [Double](repeating: 0, count: 2 * nMax)
    var work = [Double](repeating: 0, count: 2 * nMax)
    var output = [Double](repeating: 0, count: 2 * nMax)
    spectrum.withUnsafeMutableBufferPointer { xAll in
      work.withUnsafeMutableBufferPointer { workAll in
        output.withUnsafeMutableBufferPointer { out in
          guard let xBase = xAll.baseAddress, let workBase = workAll.baseAddress, let outBase = out.baseAddress
          else { return }
          var first = 0
          while first < nr {
            let n = sizes[first]
            var last = first
            while last + 1 < nr && sizes[last + 1] == n { last += 1 }
            // One forward transform of the zero-padded y for this FFT length.
            let product = UnsafeMutableBufferPointer(rebasing: workAll[0..<(2 * n)])
            product.update(repeating: 0)
            for j in 0..<nk { product[2 * j] = input.y[j] }
            FFTPlan.shared(count: n, direction: .forward).execute(workBase, xBase)
            let x = UnsafeBufferPointer(rebasing: xAll[0..<(2 * n)])
            let filter = MorletFilter(parameters: p, count: n)
            let inverse = FFTPlan.shared(count: n, direction: .backward)
            let invN = 1 / Double(n)
            for row in first...last {
              filter.apply(to: x, into: product, r: r[row])
              inverse.execute(workBase, outBase)
              for j in 0..<nk {
                re[row * nk + j] = out[2 * j] * invN
                im[row * nk + j] = out[2 * j + 1] * invN
              }
            }
            first = last + 1
          }
        }
      }
    }
    return WaveletMap(k: input.k, r: r, re: re, im: im, parameters: p)
  }

  /// FFT length for every row of a Morlet map of `points` k values. Row R needs
  /// nk + ceil(6 sigma a / dk) points (a = eta / (2R)) so that the circular convolution cannot wrap.
  /// Walking down from rmax, a new length, 2^a 3^b 5^c >= twice the need (capped at the need of
  /// rmin), starts whenever a row needs more than the current one: a handful of lengths, so a
  /// handful of forward transforms, and short inverse transforms for the many rows at large R.
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
      if required > current { current = fftFriendlySize(atLeast: min(2 * required, cap)) }
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

  /// Writes X_m H(omega_m) (interleaved complex) for the scale of distance `r` (Å) into `product`,
  /// zero wherever H underflows to 0 (outside eta ± 38.6/sigma in a omega).
  func apply(to x: UnsafeBufferPointer<Double>, into product: UnsafeMutableBufferPointer<Double>, r: Double) {
    let a = eta / (2 * r)
    let scale = normalization == .funke ? a.squareRoot() : 1
    product.update(repeating: 0)
    let reach = (2 * WaveletTransform.underflowExponent).squareRoot() / sigma
    let qMin = -(count - 1 - count / 2)
    let qMax = count / 2
    let step = a * dOmega
    let lo = Int(max(Double(qMin), ((-reach) / step).rounded(.down)))
    let hi = Int(min(Double(qMax), ((eta + reach) / step).rounded(.up)))
    guard lo <= hi else { return }
    for q in lo...hi {
      let h = scale * psihat(step * Double(q))
      let m = q < 0 ? q + count : q
      product[2 * m] = x[2 * m] * h
      product[2 * m + 1] = x[2 * m + 1] * h
    }
  }
}
