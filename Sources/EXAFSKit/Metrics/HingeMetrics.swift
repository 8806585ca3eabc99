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
  /// Whether the hinge maximum lies on the window's edge (first or last row or column): then it
  /// measures the tail of a feature outside the window, not a resolved hinge peak.
  public var maximumOnEdge: Bool = false
  /// The largest interior local maximum of |W| in the hinge window (larger than its eight
  /// neighbours; its `integrated` is 0, not computed for a point), and its ratio to the first-shell
  /// maximum; nil when the window holds no such ridge.
  public var interiorMaximum: WindowFeature?
  public var interiorRatio: Double?
  /// False when `uncertainty` could not be estimated (fewer than two realizations or zero noise):
  /// `uncertainty` is then 0 and means "not estimated", never "exact".
  public var uncertaintyEstimable: Bool = true
  /// Things to check: maximum on the window's edge, windows not covered by the data, uncertainty
  /// not estimable.
  public var warnings: [String] = []

  enum CodingKeys: String, CodingKey {
    case intensity, k, r, integrated, ratio, uncertainty, shell1, noise, parameters, warnings
    case ftRatio = "ft_ratio"
    case ftUncertainty = "ft_uncertainty"
    case maximumOnEdge = "maximum_on_edge", interiorMaximum = "interior_maximum", interiorRatio = "interior_ratio"
    case uncertaintyEstimable = "uncertainty_estimable"
  }

  /// Whether every number is finite (NaN or infinity never reach the JSON summary).
  public var isFinite: Bool {
    [intensity, k, r, integrated, ratio, ftRatio, uncertainty, ftUncertainty, shell1.intensity, shell1.k, shell1.r,
     shell1.integrated, noise.epsilonK, noise.epsilonR].allSatisfy(\.isFinite)
      && (interiorRatio?.isFinite ?? true) && (interiorMaximum.map { [$0.intensity, $0.k, $0.r].allSatisfy(\.isFinite) } ?? true)
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

/// Whether the maximum of `feature` lies on the first or last map row or column inside `window`.
func maximumIsOnEdge(_ map: WaveletMap, _ window: MapWindow, _ feature: WindowFeature) -> Bool {
  let cols = map.k.indices.filter { map.k[$0] >= window.kmin && map.k[$0] <= window.kmax }
  let rows = map.r.indices.filter { map.r[$0] >= window.rmin && map.r[$0] <= window.rmax }
  guard let c0 = cols.first, let c1 = cols.last, let r0 = rows.first, let r1 = rows.last else { return false }
  return feature.k == map.k[c0] || feature.k == map.k[c1] || feature.r == map.r[r0] || feature.r == map.r[r1]
}

/// The largest interior point of the window whose |W| exceeds all eight neighbours; nil if none.
func interiorRidgeMaximum(_ map: WaveletMap, _ window: MapWindow) -> WindowFeature? {
  let cols = map.k.indices.filter { map.k[$0] >= window.kmin && map.k[$0] <= window.kmax }
  let rows = map.r.indices.filter { map.r[$0] >= window.rmin && map.r[$0] <= window.rmax }
  guard cols.count >= 3, rows.count >= 3 else { return nil }
  var best: (Double, Int, Int)?
  for row in rows.dropFirst().dropLast() {
    for col in cols.dropFirst().dropLast() {
      let m = map.magnitude(row: row, col: col)
      var isPeak = true
      for dr in -1...1 { for dc in -1...1 where dr != 0 || dc != 0 {
        if map.magnitude(row: row + dr, col: col + dc) >= m { isPeak = false }
      } }
      if isPeak, m > (best?.0 ?? -1) { best = (m, row, col) }
    }
  }
  guard let best else { return nil }
  return WindowFeature(intensity: best.0, k: map.k[best.2], r: map.r[best.1], integrated: 0)
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
  var firstMap: WaveletMap?
  func measure(_ chiValues: [Double]) throws -> (WindowFeature, WindowFeature, Double) {
    let map = try WaveletTransform.map(k: k, chi: chiValues, parameters: wp)
    if firstMap == nil { firstMap = map }
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
  var out = HingeMetrics(
    intensity: hinge.intensity, k: hinge.k, r: hinge.r, integrated: hinge.integrated, ratio: ratio,
    ftRatio: ftRatio, uncertainty: standardDeviation(ratios), ftUncertainty: standardDeviation(ftRatios),
    shell1: shell1, noise: eps, parameters: parameters)
  if let map = firstMap {
    out.maximumOnEdge = maximumIsOnEdge(map, parameters.hinge, hinge)
    out.interiorMaximum = interiorRidgeMaximum(map, parameters.hinge)
    if let im = out.interiorMaximum, shell1.intensity > 0 { out.interiorRatio = im.intensity / shell1.intensity }
    if out.maximumOnEdge {
      out.warnings.append(
        "the hinge maximum lies on the window's edge (k \(fmt(hinge.k)) 1/Å, R \(fmt(hinge.r)) Å): the ratio measures the tail of a feature outside the window; "
          + (out.interiorMaximum.map { "the interior ridge maximum is at k \(fmt($0.k)) 1/Å, R \(fmt($0.r)) Å (interior_ratio)" }
            ?? "the window holds no interior ridge maximum"))
    }
  }
  for (name, w) in [("first-shell", parameters.shell1), ("hinge", parameters.hinge)] where w.kmax > kLast + 1e-9 || w.kmin < (k.first ?? 0) - 1e-9 {
    out.warnings.append("the data (k \(fmt(k.first ?? 0)) ... \(fmt(kLast)) 1/Å) do not cover the \(name) window (\(w))")
  }
  if !(eps.epsilonK > 0) || parameters.realizations < 2 {
    out.uncertaintyEstimable = false
    out.warnings.append(
      "the ratio's uncertainty is not estimable (\(parameters.realizations < 2 ? "fewer than two noise realizations" : "the noise estimate is 0")); uncertainty 0 means not estimated")
  }
  return out
}

/// Sample standard deviation (n - 1); 0 for fewer than two values.
func standardDeviation(_ x: [Double]) -> Double {
  guard x.count > 1 else { return 0 }
  let mean = x.reduce(0, +) / Double(x.count)
  return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)).squareRoot()
}
