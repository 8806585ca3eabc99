// Octahedral-distortion metrics from the focused multiple-scattering ("hinge") paths: the
// intensity of the Morlet map and of |chi(R)| in a hinge window relative to the first shell,
// with an uncertainty propagated from the measured noise by Monte Carlo.
import Foundation

/// A rectangle in the (k, R) plane: k in 1/Å, R in Å (phase-uncorrected).
public struct MapWindow: Sendable, Codable, Equatable, CustomStringConvertible {
  public var kmin: Double
  public var kmax: Double
  public var rmin: Double
  public var rmax: Double

  public init(kmin: Double, kmax: Double, rmin: Double, rmax: Double) {
    self.kmin = kmin
    self.kmax = kmax
    self.rmin = rmin
    self.rmax = rmax
  }

  /// Parses `kmin:kmax,rmin:rmax`, e.g. `3:10,3.7:4.6`.
  public init(parsing text: String, parameter option: String) throws {
    let parts = text.split(separator: ",").map { $0.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) } }
    guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }),
      let k0 = parts[0][0], let k1 = parts[0][1], let r0 = parts[1][0], let r1 = parts[1][1]
    else {
      throw EXAFSError.invalidParameter(option, "expected kmin:kmax,rmin:rmax (1/Å and Å), e.g. 3:10,3.7:4.6; got '\(text)'")
    }
    guard k0 < k1, r0 < r1, k0 >= 0, r0 >= 0 else {
      throw EXAFSError.invalidParameter(option, "window needs kmin < kmax and rmin < rmax, all >= 0; got '\(text)'")
    }
    self.init(kmin: k0, kmax: k1, rmin: r0, rmax: r1)
  }

  public var description: String { "k \(kmin)-\(kmax) 1/Å, R \(rmin)-\(rmax) Å" }
}

/// Windows and settings of the hinge metrics.
public struct HingeParameters: Sendable, Codable, Equatable {
  /// First-shell window (the reference intensity).
  public var shell1: MapWindow
  /// Hinge (collinear multiple-scattering) window.
  public var hinge: MapWindow
  /// Number of noise realizations for the uncertainty.
  public var realizations: Int = 40
  /// Seed of the noise generator (results are reproducible).
  public var seed: UInt = 20_051_094
  /// Preset name the windows came from, if any.
  public var preset: String?

  public init(shell1: MapWindow, hinge: MapWindow) {
    self.shell1 = shell1
    self.hinge = hinge
  }

  /// Presets for common cases, by name.
  ///
  /// `tacl6`: Ta L3 edge of chlorides (Ta-Cl about 2.37 Å). The first shell appears at
  /// R = 1.5-2.5 Å (phase-uncorrected) and, Cl being a light scatterer, at k = 3-12 1/Å in a
  /// k^2-weighted Morlet map (eta = 10, sigma = 1). The collinear Ta-Cl-Ta-Cl paths at 2 x 2.37 Å
  /// appear at R = 3.9-4.6 Å and peak near k = 6 1/Å; the window stays above the Na/cation shell at
  /// about 3.5 Å. See Docs/hinge-metrics.md for how these were chosen on the FEFF simulations.
  public static func preset(_ name: String) -> HingeParameters? {
    switch name.lowercased() {
    case "tacl6":
      var p = HingeParameters(
        shell1: MapWindow(kmin: 3, kmax: 12, rmin: 1.5, rmax: 2.5),
        hinge: MapWindow(kmin: 3, kmax: 10, rmin: 3.9, rmax: 4.6))
      p.preset = "tacl6"
      return p
    default: return nil
    }
  }

  /// Names of the presets.
  public static let presetNames = ["tacl6"]

  /// Throws `EXAFSError.invalidParameter` for a realization count outside 0 ... 10000.
  public func validate() throws {
    guard (0...10_000).contains(realizations) else {
      throw EXAFSError.invalidParameter("realizations", "must be 0 ... 10000, got \(realizations)")
    }
  }
}

/// The maximum of |W| in a window, where it is, and the integral of |W| over the window.
public struct WindowFeature: Sendable, Codable, Equatable {
  /// Largest |W| in the window.
  public var intensity: Double
  /// k of the maximum, 1/Å.
  public var k: Double
  /// R of the maximum, Å.
  public var r: Double
  /// Integral of |W| over the window (sum times dk dR), in |W| x Å^-1 x Å.
  public var integrated: Double

  /// Creates the value from its parts (memberwise).
  public init(intensity: Double, k: Double, r: Double, integrated: Double) {
    self.intensity = intensity
    self.k = k
    self.r = r
    self.integrated = integrated
  }
}

/// Hinge metrics of one spectrum (written to NAME.json under "hinge").
public struct HingeMetrics: Sendable, Codable, Equatable {
  /// Maximum |W| in the hinge window, and where it is.
  public var intensity: Double
  public var k: Double
  public var r: Double
  /// Integral of |W| over the hinge window.
  public var integrated: Double
  /// Hinge intensity / first-shell maximum of |W| (cancels S0^2, edge step and thickness).
  public var ratio: Double
  /// The same ratio from |chi(R)| (maxima over the windows' R ranges).
  public var ftRatio: Double
  /// Standard uncertainty of `ratio` from the measured noise (Monte Carlo), and of `ft_ratio`.
  public var uncertainty: Double
  public var ftUncertainty: Double
  /// First-shell feature of the map.
  public var shell1: WindowFeature
  /// Noise of chi(k) used for the uncertainty.
  public var noise: NoiseEstimate
  /// Windows and settings used.
  public var parameters: HingeParameters

  enum CodingKeys: String, CodingKey {
    case intensity, k, r, integrated, ratio, uncertainty, shell1, noise, parameters
    case ftRatio = "ft_ratio"
    case ftUncertainty = "ft_uncertainty"
  }

  /// Whether every number is finite (NaN or infinity never reach the JSON summary).
  public var isFinite: Bool {
    [intensity, k, r, integrated, ratio, ftRatio, uncertainty, ftUncertainty, shell1.intensity, shell1.k, shell1.r,
     shell1.integrated, noise.epsilonK, noise.epsilonR].allSatisfy(\.isFinite)
  }

  /// Creates the value from its parts (memberwise).
  public init(intensity: Double, k: Double, r: Double, integrated: Double, ratio: Double, ftRatio: Double, uncertainty: Double, ftUncertainty: Double, shell1: WindowFeature, noise: NoiseEstimate, parameters: HingeParameters) {
    self.intensity = intensity
    self.k = k
    self.r = r
    self.integrated = integrated
    self.ratio = ratio
    self.ftRatio = ftRatio
    self.uncertainty = uncertainty
    self.ftUncertainty = ftUncertainty
    self.shell1 = shell1
    self.noise = noise
    self.parameters = parameters
  }
}

/// The feature of `map` inside `window`; nil if the window holds no map point.
public func windowFeature(_ map: WaveletMap, _ window: MapWindow) -> WindowFeature? {
  let cols = map.k.indices.filter { map.k[$0] >= window.kmin && map.k[$0] <= window.kmax }
  let rows = map.r.indices.filter { map.r[$0] >= window.rmin && map.r[$0] <= window.rmax }
  guard !cols.isEmpty, !rows.isEmpty else { return nil }
  let dk = map.k.count > 1 ? map.k[1] - map.k[0] : 0
  let dr = map.r.count > 1 ? map.r[1] - map.r[0] : 0
  var best = (0.0, 0, 0)
  var sum = 0.0
  for row in rows {
    for col in cols {
      let m = map.magnitude(row: row, col: col)
      sum += m
      if m > best.0 { best = (m, row, col) }
    }
  }
  return WindowFeature(intensity: best.0, k: map.k[best.2], r: map.r[best.1], integrated: sum * dk * dr)
}

/// Hinge metrics of chi(k) (uniform grid from 0 with step `wavelet.kstep`).
///
/// The map is the Morlet transform with `wavelet` (its R range is widened to cover both windows);
/// |chi(R)| uses `ft`. The uncertainty is the standard deviation over `realizations` copies of
/// chi(k) with white Gaussian noise of the estimated epsilon_k added (Larch's estimate_noise),
/// each transformed and measured the same way.
/// - Throws: `EXAFSError.invalidParameter` when a window lies outside the map.
public func hingeMetrics(
  k: [Double], chi: [Double], wavelet: WaveletParameters, ft: FTParameters, parameters: HingeParameters,
  noise: NoiseEstimate? = nil
) throws -> HingeMetrics {
  var wp = wavelet
  wp.rmin = min(parameters.shell1.rmin, parameters.hinge.rmin)
  wp.rmax = max(parameters.shell1.rmax, parameters.hinge.rmax)
  let kLast = k.last ?? 0
  guard parameters.hinge.kmin < kLast, parameters.shell1.kmin < kLast else {
    throw EXAFSError.invalidParameter("hinge_window", "the windows start beyond the data (last k = \(fmt(kLast)) 1/Å)")
  }
  func measure(_ chiValues: [Double]) throws -> (WindowFeature, WindowFeature, Double) {
    let map = try WaveletTransform.map(k: k, chi: chiValues, parameters: wp)
    guard let s1 = windowFeature(map, parameters.shell1), let h = windowFeature(map, parameters.hinge) else {
      throw EXAFSError.invalidParameter("hinge_window", "a window lies outside the wavelet map")
    }
    let chir = FourierTransform.forward(k: k, chi: chiValues, parameters: ft)
    let s1FT = chir.peak(rmin: parameters.shell1.rmin, rmax: parameters.shell1.rmax)?.mag ?? 0
    let hFT = chir.peak(rmin: parameters.hinge.rmin, rmax: parameters.hinge.rmax)?.mag ?? 0
    return (s1, h, s1FT > 0 ? hFT / s1FT : .nan)
  }
  let (shell1, hinge, ftRatio) = try measure(chi)
  let ratio = shell1.intensity > 0 ? hinge.intensity / shell1.intensity : .nan
  let eps = noise ?? estimateNoise(k: k, chi: chi)
  var ratios: [Double] = []
  var ftRatios: [Double] = []
  if eps.epsilonK > 0, parameters.realizations > 1 {
    let rng = GaussianNoise(seed: parameters.seed)
    for _ in 0..<parameters.realizations {
      let noisy = zip(chi, rng.samples(chi.count, sigma: eps.epsilonK)).map { $0 + $1 }
      let (s, h, f) = try measure(noisy)
      ratios.append(h.intensity / s.intensity)
      ftRatios.append(f)
    }
  }
  return HingeMetrics(
    intensity: hinge.intensity, k: hinge.k, r: hinge.r, integrated: hinge.integrated, ratio: ratio,
    ftRatio: ftRatio, uncertainty: standardDeviation(ratios), ftUncertainty: standardDeviation(ftRatios),
    shell1: shell1, noise: eps, parameters: parameters)
}

/// Sample standard deviation (n - 1); 0 for fewer than two values.
func standardDeviation(_ x: [Double]) -> Double {
  guard x.count > 1 else { return 0 }
  let mean = x.reduce(0, +) / Double(x.count)
  return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
}
