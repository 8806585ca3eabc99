// chi(k) of one FEFF path with its path parameters: the EXAFS equation as Larch's path2chi evaluates it.
import Foundation

/// Path parameters of the EXAFS equation (Larch's names and defaults).
public struct PathParameters: Sendable, Codable, Equatable {
  /// Amplitude reduction factor S0^2 (multiplies the degeneracy). Default 1.
  public var s02: Double = 1
  /// Energy shift E0, eV; the path is evaluated at k' = sqrt(k^2 - E0/KTOE) (Larch's KTOE). Default 0.
  public var e0: Double = 0
  /// Change of the half path length, Å: R = reff + deltar. Default 0.
  public var deltar: Double = 0
  /// Mean-square relative displacement sigma^2, Å^2. Default 0.
  public var sigma2: Double = 0
  /// Third cumulant, Å^3. Default 0.
  public var third: Double = 0
  /// Fourth cumulant, Å^4. Default 0.
  public var fourth: Double = 0
  /// Imaginary energy (extra broadening) Ei, eV. Default 0.
  public var ei: Double = 0
  /// Degeneracy N; nil: the file's.
  public var degen: Double?

  public init(
    s02: Double = 1, e0: Double = 0, deltar: Double = 0, sigma2: Double = 0, third: Double = 0, fourth: Double = 0,
    ei: Double = 0, degen: Double? = nil
  ) {
    self.s02 = s02; self.e0 = e0; self.deltar = deltar; self.sigma2 = sigma2
    self.third = third; self.fourth = fourth; self.ei = ei; self.degen = degen
  }
}

/// A FEFF path ready for chi(k): the file and cubic splines of its tables.
///
/// The tables are interpolated with not-a-knot cubic splines through FEFF's points (what scipy's
/// `UnivariateSpline(k, y, s=0)` in Larch's `FeffPathGroup` computes), extended beyond the table
/// by the end polynomials.
public struct FeffPath: Sendable {
  /// The path file.
  public let file: FeffPathFile
  let phase: NotAKnotSpline
  let amplitude: NotAKnotSpline
  let realP: NotAKnotSpline
  let lambda: NotAKnotSpline

  public init(file: FeffPathFile) {
    self.file = file
    phase = NotAKnotSpline(x: file.k, y: file.phase)
    amplitude = NotAKnotSpline(x: file.k, y: file.amplitude)
    realP = NotAKnotSpline(x: file.k, y: file.realP)
    lambda = NotAKnotSpline(x: file.k, y: file.lambda)
  }

  /// Reads and prepares the path in a feffNNNN.dat file.
  public init(path: String) throws { self.init(file: try FeffPathFile(path: path)) }

  /// Larch's default k grid for a path: 0 ... min(last FEFF k, 30) in steps of 0.05 1/Å.
  public var defaultK: [Double] {
    let kmax = min(file.k.last ?? 20, 30)
    return (0..<Int(1.01 + kmax / 0.05)).map { Double($0) * 0.05 }
  }

  /// chi(k) of the path (and -Re of the complex chi, Larch's `chi_imag`) at the wavenumbers `k`.
  ///
  /// With q = sign(e) sqrt(|e|), e = k^2 - E0/KTOE (|e| below 1e-6 replaced by 1e-6), the tables
  /// interpolated at q, p = sqrt((p_feff + i/lambda)^2 + i Ei/KTOE) and N = degen:
  ///   chi~(k) = N S0^2 |f_eff| F_red / (q (reff + deltar)^2)
  ///             exp(-2 reff Im p - 2 p^2 (sigma2 - p^2 c4/3)
  ///                 + i (2 q reff + phase + 2 p (deltar - 2 sigma2/reff - 2 p^2 c3/3)))
  /// chi = Im chi~; the point k[0] is extrapolated linearly from k[1] and k[2] (q = 0 is singular).
  /// This is Larch's `FeffPathGroup._calc_chi` (feffdat.py), after Rehr & Albers, Rev. Mod. Phys. 72,
  /// 621 (2000), eq. 4.
  public func chi(k: [Double], parameters p: PathParameters) -> (chi: [Double], chiImag: [Double]) {
    let n = k.count
    var chi = [Double](repeating: 0, count: n)
    var chiImag = [Double](repeating: 0, count: n)
    let reff = file.reff
    let degen = p.degen ?? file.degen
    let etok = 1 / pathKTOE
    let smallEnergy = 1e-6
    for i in 0..<n {
      var en = k[i] * k[i] - p.e0 * etok
      if abs(en) < 1.5 * smallEnergy { en = smallEnergy }
      let q = (en < 0 ? -1.0 : 1.0) * abs(en).squareRoot()
      let pha = phase(q), amp = amplitude(q), rep = realP(q), lam = lambda(q)
      // pp = (rep + i/lam)^2 + i ei etok ; pc = sqrt(pp) (principal branch)
      let ppRe = rep * rep - 1 / (lam * lam)
      let ppIm = 2 * rep / lam + p.ei * etok
      let (pcRe, pcIm) = complexSqrt(ppRe, ppIm)
      // pp^2
      let pp2Re = ppRe * ppRe - ppIm * ppIm
      let pp2Im = 2 * ppRe * ppIm
      // exponent a = -2 reff Im(pc) - 2 (pp sigma2 - pp^2 c4/3) + i (2 q reff + pha + 2 pc (deltar - 2 sigma2/reff) - 4 pc pp c3/3)
      var aRe = -2 * reff * pcIm - 2 * (ppRe * p.sigma2 - pp2Re * p.fourth / 3)
      var aIm = -2 * (ppIm * p.sigma2 - pp2Im * p.fourth / 3)
      let d = p.deltar - 2 * p.sigma2 / reff
      // pc * pp
      let cpRe = pcRe * ppRe - pcIm * ppIm
      let cpIm = pcRe * ppIm + pcIm * ppRe
      // + i * (2 q reff + pha)  -> adds to imaginary part
      aIm += 2 * q * reff + pha
      // + i * (2 pc d - 4/3 c3 pc pp): i*(x + i y) = -y + i x
      let tRe = 2 * pcRe * d - 4 * p.third * cpRe / 3
      let tIm = 2 * pcIm * d - 4 * p.third * cpIm / 3
      aRe += -tIm
      aIm += tRe
      let mag = exp(aRe) * degen * p.s02 * amp / (q * (reff + p.deltar) * (reff + p.deltar))
      chi[i] = mag * sin(aIm)
      chiImag[i] = -mag * cos(aIm)
    }
    if n >= 3 {
      chi[0] = 2 * chi[1] - chi[2]
      chiImag[0] = 2 * chiImag[1] - chiImag[2]
    }
    return (chi, chiImag)
  }
}

/// The k <-> E constant of the path sum: the pipeline's `KTOE` (Larch 2026.3.1's value), so that
/// E0 shifts agree with Larch to 1e-9 of the path's peak.
package let pathKTOE = KTOE

/// Principal square root of re + i im.
@inline(__always)
func complexSqrt(_ re: Double, _ im: Double) -> (Double, Double) {
  let r = (re * re + im * im).squareRoot()
  if r == 0 { return (0, 0) }
  let a = ((r + re) / 2).squareRoot()
  let b = ((r - re) / 2).squareRoot()
  return (a, im < 0 ? -b : b)
}
