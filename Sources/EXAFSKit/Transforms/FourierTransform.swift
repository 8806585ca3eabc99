// Forward (k -> R) and back (R -> q) XAFS Fourier transforms with Larch's conventions (xftf/xftr).
import Foundation

/// Parameters of the forward transform chi(k) -> chi(R). Defaults: see `Docs/algorithms.md`.
public struct FTParameters: Sendable, Codable, Equatable {
  /// Lower end of the k window, 1/Å.
  public var kmin: Double = 2
  /// Upper end of the k window, 1/Å; nil: 1 1/Å short of the last data point, rounded down.
  public var kmax: Double?
  /// Taper width at kmin, 1/Å (shape parameter for kaiser, width for gaussian).
  public var dk: Double = 1
  /// Taper width at kmax, 1/Å; nil: same as dk.
  public var dk2: Double?
  /// Window function.
  public var window: FTWindowKind = .hanning
  /// k-weight w in k^w chi(k); any real number (Larch truncates it to an integer).
  public var kweight: Double = 2
  /// Largest R written out, Å.
  public var rmaxOut: Double = 10
  /// FFT length (zero padding), points.
  public var nfft: Int = 2048
  /// k grid step, 1/Å.
  public var kstep: Double = 0.05

  public init() {}

  /// R grid step pi / (kstep nfft), Å.
  public var rstep: Double { Double.pi / (kstep * Double(nfft)) }

  /// kmax actually used for data whose last point is at `kLast` (1/Å).
  public func resolvedKmax(kLast: Double) -> Double {
    kmax ?? max(kmin + 1, (kLast - 1).rounded(.down))
  }
}

/// chi(R): the complex forward transform of windowed, k-weighted chi(k).
public struct ChiR: Sendable, Equatable {
  /// Distance grid, Å (phase-uncorrected), from 0 in steps of `rstep`.
  public var r: [Double]
  /// Real part of chi(R), Å^-(w+1).
  public var re: [Double]
  /// Imaginary part of chi(R).
  public var im: [Double]
  /// |chi(R)|.
  public var mag: [Double] { zip(re, im).map { ($0 * $0 + $1 * $1).squareRoot() } }
  /// Phase of chi(R), radians, with 2 pi jumps removed (Larch's complex_phase).
  public var phase: [Double] { unwrappedPhase(re: re, im: im) }
  /// The k grid on which the transform input was built (uniform from 0), 1/Å.
  public var k: [Double]
  /// The window on that grid.
  public var window: [Double]
  /// k^w chi(k) on that grid (not windowed).
  public var kwchi: [Double]
  /// Parameters used, with kmax resolved.
  public var parameters: FTParameters
  /// The FEFF path whose phase was removed before the transform (nil: phase-uncorrected R).
  public var phaseCorrection: String?

  /// Creates the value from its parts (memberwise).
  public init(
    r: [Double], re: [Double], im: [Double], k: [Double], window: [Double], kwchi: [Double], parameters: FTParameters,
    phaseCorrection: String? = nil
  ) {
    self.phaseCorrection = phaseCorrection
    self.r = r
    self.re = re
    self.im = im
    self.k = k
    self.window = window
    self.kwchi = kwchi
    self.parameters = parameters
  }
}

extension ChiR {
  /// The largest |chi(R)| with R in [rmin, rmax] (Å): where it is and its height; nil if no grid
  /// point lies in the range.
  public func peak(rmin: Double, rmax: Double) -> (r: Double, mag: Double)? {
    var best: (r: Double, mag: Double)?
    for (i, rr) in r.enumerated() where rr >= rmin && rr <= rmax {
      let m = (re[i] * re[i] + im[i] * im[i]).squareRoot()
      if best == nil || m > best!.mag { best = (rr, m) }
    }
    return best
  }
}

/// chi(q): the back transform of windowed chi(R).
public struct ChiQ: Sendable, Equatable {
  /// Wavenumber grid, 1/Å, from 0 in steps of kstep.
  public var q: [Double]
  /// Real part (for a full-range R window, the windowed k^w chi(k)).
  public var re: [Double]
  /// Imaginary part.
  public var im: [Double]
  /// The R window used, on the input R grid.
  public var window: [Double]
  /// |chi(q)|.
  public var mag: [Double] { zip(re, im).map { ($0 * $0 + $1 * $1).squareRoot() } }

  /// Creates the value from its parts (memberwise).
  public init(q: [Double], re: [Double], im: [Double], window: [Double]) {
    self.q = q
    self.re = re
    self.im = im
    self.window = window
  }
}

/// Parameters of the back transform chi(R) -> chi(q).
public struct BackFTParameters: Sendable, Codable, Equatable {
  /// R window, Å.
  public var rmin: Double = 1
  public var rmax: Double = 3
  /// Taper width, Å.
  public var dr: Double = 0.5
  /// Window function.
  public var window: FTWindowKind = .hanning
  /// R-weight applied before the back transform.
  public var rweight: Double = 0
  /// Largest q written out, 1/Å.
  public var qmaxOut: Double = 20
  public init() {}
}

/// XAFS Fourier transforms computed with FFTW (plans shared process-wide).
public enum FourierTransform {
  /// Forward transform, Larch's `xftf`: chi(k) is interpolated linearly onto k_i = i kstep,
  /// weighted by k^w, multiplied by the window, zero-padded to nfft and
  /// chi(R_m) = (kstep / sqrt(pi)) sum_i y_i exp(-2 pi i m / nfft), R_m = m pi / (kstep nfft).
  /// - Parameters:
  ///   - k: wavenumbers, 1/Å, increasing (need not be uniform).
  ///   - chi: chi(k), not k-weighted.
  public static func forward(k: [Double], chi: [Double], parameters p: FTParameters) -> ChiR {
    var p = p
    let kLast = k.last ?? 0
    let kmax = p.resolvedKmax(kLast: kLast)
    p.kmax = kmax
    let dk2 = p.dk2 ?? p.dk
    let kEnd = max(kLast, kmax + dk2)
    let nGrid = Int(1.01 + kEnd / p.kstep)
    let grid = (0..<nGrid).map { Double($0) * p.kstep }
    let chiGrid = linearInterpolate(x: k, y: chi, at: grid)
    let win = ftWindow(grid, xmin: p.kmin, xmax: kmax, dx: p.dk, dx2: dk2, kind: p.window)
    let npts = min(Int(1.01 + kLast / p.kstep), nGrid, p.nfft)
    var kwchi = [Double](repeating: 0, count: npts)
    var input = [Double](repeating: 0, count: 2 * p.nfft)
    for i in 0..<npts {
      kwchi[i] = chiGrid[i] * kWeightFactor(grid[i], p.kweight)
      input[2 * i] = kwchi[i] * win[i]
    }
    var output = [Double]()
    FFTPlan.shared(count: p.nfft, direction: .forward).execute(&input, into: &output)
    let rstep = p.rstep
    let irmax = Int(min(Double(p.nfft / 2), 1.01 + p.rmaxOut / rstep))
    let scale = p.kstep / Double.pi.squareRoot()
    var re = [Double](repeating: 0, count: irmax)
    var im = [Double](repeating: 0, count: irmax)
    for m in 0..<irmax {
      re[m] = scale * output[2 * m]
      im[m] = scale * output[2 * m + 1]
    }
    return ChiR(
      r: (0..<irmax).map { Double($0) * rstep }, re: re, im: im, k: Array(grid[0..<npts]),
      window: Array(win[0..<npts]), kwchi: kwchi, parameters: p)
  }

  /// Back transform, Larch's `xftr`: chi(R) on its uniform grid is multiplied by the R window
  /// (and R^rweight), zero-padded to nfft, and
  /// chi(q_j) = (1/2) (4 sqrt(pi) / kstep) (1/nfft) sum_m y_m exp(+2 pi i j m / nfft),
  /// with kstep = pi / (rstep nfft). The factor 1/2 is Larch's for complex input.
  public static func backward(
    chiR: ChiR, parameters p: BackFTParameters, nfft: Int = 2048
  ) -> ChiQ {
    let n = chiR.r.count
    let rstep = n > 1 ? chiR.r[1] - chiR.r[0] : Double.pi / (0.05 * Double(nfft))
    let kstep = Double.pi / (rstep * Double(nfft))
    let rFull = (0..<nfft).map { Double($0) * rstep }
    let win = ftWindow(rFull, xmin: p.rmin, xmax: p.rmax, dx: p.dr, dx2: p.dr, kind: p.window)
    var input = [Double](repeating: 0, count: 2 * nfft)
    for m in 0..<min(n, nfft) {
      let w = win[m] * kWeightFactor(rFull[m], p.rweight)
      input[2 * m] = chiR.re[m] * w
      input[2 * m + 1] = chiR.im[m] * w
    }
    var output = [Double]()
    FFTPlan.shared(count: nfft, direction: .backward).execute(&input, into: &output)
    let nq = min(nfft / 2, Int(1.05 + p.qmaxOut / kstep))
    let scale = 0.5 * 4 * Double.pi.squareRoot() / kstep / Double(nfft)
    var re = [Double](repeating: 0, count: nq)
    var im = [Double](repeating: 0, count: nq)
    for j in 0..<nq {
      re[j] = scale * output[2 * j]
      im[j] = scale * output[2 * j + 1]
    }
    return ChiQ(
      q: (0..<nq).map { Double($0) * kstep }, re: re, im: im, window: Array(win[0..<min(n, nfft)]))
  }
}

/// k^w with 0^0 = 1 and 0^w = 0 for w > 0 (so any real w is allowed on a grid from k = 0).
@inlinable
package func kWeightFactor(_ k: Double, _ w: Double) -> Double {
  if w == 0 { return 1 }
  if w == 1 { return k }
  if w == 2 { return k * k }
  if w == 3 { return k * k * k }
  if k == 0 { return 0 }  // k^w at k = 0 for w > 0; negative w would be infinite there
  return pow(k, w)
}

/// Phase atan2(im, re) with jumps of about pi and 2 pi removed, as Larch's `complex_phase`.
package func unwrappedPhase(re: [Double], im: [Double]) -> [Double] {
  let n = re.count
  guard n > 0 else { return [] }
  let raw = (0..<n).map { atan2(im[$0], re[$0]) }
  var out = raw
  var cumulative = 0.0
  for i in 1..<n {
    let d = (raw[i] - raw[i - 1]) / Double.pi
    let jump = d.magnitude.rounded(.toNearestOrEven) * (d < 0 ? -1 : (d > 0 ? 1 : 0))
    cumulative += jump
    out[i] = raw[i] - Double.pi * cumulative
  }
  return out
}
