// Noise in chi(k) from the high-R part of its Fourier transform (Larch's estimate_noise), and
// reproducible Gaussian noise realizations (GSL's Mersenne twister) for Monte Carlo propagation.
import CGSL
import Foundation

/// Estimated noise of chi(k).
public struct NoiseEstimate: Sendable, Codable, Equatable {
  /// Noise of each chi(k) point (standard deviation), dimensionless.
  public var epsilonK: Double
  /// Noise of chi(R) (RMS of re and im over the high-R range), Å^-(w+1).
  public var epsilonR: Double

  /// Creates the value from its parts (memberwise).
  public init(epsilonK: Double, epsilonR: Double) {
    self.epsilonK = epsilonK
    self.epsilonR = epsilonR
  }
}

/// Noise in chi(k) as Larch's `estimate_noise` computes it: the RMS of Re and Im chi(R) over
/// [rmin, rmax) (15 ... 30 Å), where no EXAFS signal is expected, divided by the mean of the k window,
/// converted to chi(k) by Parseval's theorem for white noise:
/// eps_k = sqrt(2 pi (2w+1) / (kstep (kmax^(2w+1) - kmin^(2w+1)))) eps_r.
/// Defaults are Larch's: kweight 1, k window 0 ... 20 1/Å, Kaiser-Bessel with dk = 4.
public func estimateNoise(
  k: [Double], chi: [Double], rmin: Double = 15, rmax: Double = 30, kweight: Double = 1, kmin: Double = 0,
  kmax: Double = 20, dk: Double = 4
) -> NoiseEstimate {
  var p = FTParameters()
  p.kmin = kmin
  p.kmax = kmax
  p.dk = dk
  p.window = .kaiser
  p.kweight = kweight
  p.rmaxOut = min(10 * Double.pi, rmax + 2)
  let chir = FourierTransform.forward(k: k, chi: chi, parameters: p)
  let irmin = Int(0.01 + rmin / p.rstep)
  let irmax = min(p.nfft / 2, Int(1.01 + rmax / p.rstep), chir.r.count)
  guard irmax > irmin else { return NoiseEstimate(epsilonK: 0, epsilonR: 0) }
  var sum = 0.0
  for i in irmin..<irmax { sum += chir.re[i] * chir.re[i] + chir.im[i] * chir.im[i] }
  let kwinAverage = chir.window.reduce(0, +) * p.kstep / (kmax - kmin)
  let epsR = (sum / Double(2 * (irmax - irmin))).squareRoot() / max(kwinAverage, 1e-12)
  let w = 2 * kweight + 1
  let scale = (2 * Double.pi * w / (p.kstep * (pow(kmax, w) - pow(kmin, w)))).squareRoot()
  return NoiseEstimate(epsilonK: scale * epsR, epsilonR: epsR)
}

/// A seeded source of standard normal deviates (GSL mt19937 + gsl_ran_gaussian); reproducible
/// for a given seed. Not shared between threads.
package final class GaussianNoise {
  private let rng: UnsafeMutablePointer<gsl_rng>

  public init(seed: UInt) {
    _ = gslErrorHandlerOff
    rng = gsl_rng_alloc(exafs_gsl_rng_mt19937())
    gsl_rng_set(rng, seed)
  }

  deinit { gsl_rng_free(rng) }

  /// `count` independent normal deviates with standard deviation `sigma`.
  public func samples(_ count: Int, sigma: Double) -> [Double] {
    (0..<count).map { _ in gsl_ran_gaussian(rng, sigma) }
  }
}
