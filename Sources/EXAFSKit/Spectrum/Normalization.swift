// Pre-edge subtraction and post-edge normalization of mu(E), as Larch's pre_edge.
import Foundation

/// Parameters of the pre-edge / post-edge normalization. Every nil is chosen from the data with
/// Larch's rules (see `normalize(_:parameters:)` and Docs/algorithms.md).
public struct NormalizationParameters: Sendable, Codable, Equatable {
  /// Edge energy, eV; nil: found with `findE0`.
  public var e0: Double?
  /// Start of the pre-edge fit range relative to E0, eV (negative).
  public var pre1: Double?
  /// End of the pre-edge fit range relative to E0, eV (negative).
  public var pre2: Double?
  /// Start of the post-edge fit range relative to E0, eV.
  public var norm1: Double?
  /// End of the post-edge fit range relative to E0, eV.
  public var norm2: Double?
  /// Degree of the post-edge polynomial (0 ... 5).
  public var nnorm: Int?
  /// Edge step to use instead of the fitted one.
  public var step: Double?
  /// Whose fit-range conventions to follow; nil: Larch's (see `NormalizationConvention`).
  public var convention: NormalizationConvention?
  public init() {}
}

/// The two programs Athena has normalized with, which differ in how they choose fit points.
public enum NormalizationConvention: String, Sendable, Codable, Equatable {
  /// Larch's `pre_edge`: fit ranges [index at or below E0 + pre1, index nearest E0 + pre2) and
  /// [index at or below E0 + norm1, index nearest E0 + norm2), edge step at the point nearest E0.
  case larch
  /// IFEFFIT's `pre_edge` (Athena 0.8 and Demeter before its Larch backend): both fit ranges run
  /// from the point nearest their start to the point nearest their end (the upper one on a tie),
  /// both included, and the edge step is the post-edge polynomial at E0 itself. Found by running Debian's `ifeffit`
  /// 1.2.11d: this reproduces its edge_step to 1e-5 on 90 groups of two real projects.
  case ifeffit
}

/// mu(E) after pre-edge subtraction and normalization, with the values of every parameter used.
public struct NormalizedSpectrum: Sendable, Equatable {
  /// The spectrum as read.
  public var spectrum: XASSpectrum
  /// Edge energy, eV.
  public var e0: Double
  /// Edge step (post-edge minus pre-edge line at the grid point nearest E0), mu units.
  public var edgeStep: Double
  /// Pre-edge line evaluated on the energy grid.
  public var preEdge: [Double]
  /// Post-edge curve (pre-edge line + polynomial) on the energy grid.
  public var postEdge: [Double]
  /// (mu - pre_edge) / edge_step.
  public var norm: [Double]
  /// Normalized mu with the post-edge curvature removed above E0.
  public var flat: [Double]
  /// Parameters with every value resolved (nothing nil except `step` when fitted).
  public var parameters: NormalizationParameters

  /// Creates the value from its parts (memberwise).
  public init(spectrum: XASSpectrum, e0: Double, edgeStep: Double, preEdge: [Double], postEdge: [Double], norm: [Double], flat: [Double], parameters: NormalizationParameters) {
    self.spectrum = spectrum
    self.e0 = e0
    self.edgeStep = edgeStep
    self.preEdge = preEdge
    self.postEdge = postEdge
    self.norm = norm
    self.flat = flat
    self.parameters = parameters
  }
}

/// Pre-edge line and post-edge polynomial normalization, following Larch's `pre_edge`:
///
/// - E0 from `findE0` unless given (and inside the data).
/// - pre1 defaults to E(1) - E0 rounded to 5 eV (2 eV when E0 is within the first 20 points),
///   not below the first point; pre2 to pre1 / 2. A line is fitted to mu over
///   [E0 + pre1, E0 + pre2) (a constant when that holds fewer than 3 points).
/// - norm2 defaults to (E_max - E0) rounded to 5 eV, norm1 to min(25, 5 round(norm2 / 15)); nnorm to
///   2 when norm2 - norm1 >= 300 eV, 1 when >= 30 eV, else 0. A polynomial of degree nnorm is fitted
///   to mu - pre_edge over [E0 + norm1, E0 + norm2).
/// - edge_step = post_edge - pre_edge at the point nearest E0; flat = norm - (post - pre)/step +
///   its value at E0, above E0.
/// - Throws: `EXAFSError.unusableData` when the data cannot be normalized: no edge step, or a
///   step less than 5 times the point-to-point noise of mu (`pointNoise`): flat or pure-noise data.
public func normalize(_ spectrum: XASSpectrum, parameters: NormalizationParameters = .init()) throws
  -> NormalizedSpectrum
{
  let energy = spectrum.energy
  let mu = spectrum.mu
  let n = energy.count
  let loc = SourceLocation(file: spectrum.source)
  guard n >= 10 else {
    throw EXAFSError.unusableData(loc, "only \(n) data points; at least 10 are needed to find the edge")
  }
  var e0 = parameters.e0 ?? .nan
  if !(e0 >= energy[1] && e0 <= energy[n - 2]) { e0 = findE0(energy: energy, mu: mu) }
  let ie0 = indexNearest(energy, e0)
  let emin = energy[0], emax = energy[n - 1]

  var pre1 = parameters.pre1 ?? {
    let q = (energy[1] - e0) / (ie0 > 20 ? 5 : 2)
    return (ie0 > 20 ? 5 : 2) * q.rounded(.toNearestOrEven)
  }()
  pre1 = max(pre1, emin - e0)
  var pre2 = parameters.pre2 ?? 0.5 * pre1
  if pre1 > pre2 { swap(&pre1, &pre2) }
  let rel = energy.map { $0 - e0 }
  var npre = 1
  if indexOf(rel, pre2) - indexOf(rel, pre1) < 3 { npre = 0 }

  var norm2 = parameters.norm2 ?? 5 * ((emax - e0) / 5).rounded(.toNearestOrEven)
  if norm2 < 0 { norm2 = emax - e0 - norm2 }
  norm2 = min(norm2, emax - e0)
  var norm1 = parameters.norm1 ?? min(25, 5 * (norm2 / 15).rounded(.toNearestOrEven))
  if norm1 > norm2 { swap(&norm1, &norm2) }
  norm1 = min(norm1, norm2 - 2)
  var nnorm = parameters.nnorm ?? (norm2 - norm1 < 30 ? 0 : (norm2 - norm1 < 300 ? 1 : 2))
  nnorm = max(0, min(nnorm, 5))

  let ifeffit = parameters.convention == .ifeffit
  // IFEFFIT: the nearest point, the upper one on a tie (Larch's index_nearest takes the lower).
  func nearestUp(_ value: Double) -> Int {
    let i = indexOf(energy, value)
    return i + 1 < n && abs(energy[i + 1] - value) <= abs(energy[i] - value) ? i + 1 : i
  }
  // Pre-edge line.
  var p1 = ifeffit ? nearestUp(pre1 + e0) : indexOf(energy, pre1 + e0)
  var p2 = ifeffit ? nearestUp(pre2 + e0) + 1 : indexNearest(energy, pre2 + e0)
  var preCoefs: [Double]
  if npre == 0 {
    if p2 == p1 { p2 += 1 }
    let slice = mu[p1..<min(p2, n)]
    preCoefs = [slice.reduce(0, +) / Double(max(slice.count, 1)), 0]
  } else {
    if p2 - p1 < 2 { p2 = min(n, p1 + 2) }
    preCoefs = polynomialFit(x: Array(energy[p1..<p2]), y: Array(mu[p1..<p2]), degree: 1)
  }
  let preEdge = energy.map { preCoefs[0] + $0 * preCoefs[1] }

  // Post-edge polynomial.
  p1 = ifeffit ? nearestUp(norm1 + e0) : indexOf(energy, norm1 + e0)
  p2 = ifeffit ? min(n, nearestUp(norm2 + e0) + 1) : indexNearest(energy, norm2 + e0)
  if p1 > n - 3 { p1 = n - 3 }
  if p2 - p1 < 2 {
    p1 -= 2
    nnorm = 0
  } else if p2 - p1 < 5 {
    nnorm = min(1, nnorm)
  }
  p1 = max(0, p1)
  p2 = max(p2, p1 + 1)
  let presub = (p1..<p2).map { mu[$0] - preEdge[$0] }
  let normCoefs = polynomialFit(x: Array(energy[p1..<p2]), y: presub, degree: nnorm)
  let postEdge = (0..<n).map { preEdge[$0] + polynomialValue(normCoefs, energy[$0]) }
  var step = parameters.step ?? (ifeffit ? polynomialValue(normCoefs, e0) : postEdge[ie0] - preEdge[ie0])
  step = max(1e-12, abs(step))
  guard step.isFinite, step > 1e-12 else {
    throw EXAFSError.unusableData(loc, "no absorption edge found (edge step is zero); check the mu column or expression")
  }
  // Flat or pure-noise mu still gives some fitted step; a real edge stands far above the noise
  // (over 1000 times for the sample spectra, about 1 for pure noise).
  let noise = pointNoise(mu)
  guard parameters.step != nil || step > edgeToNoiseMinimum * noise else {
    throw EXAFSError.unusableData(
      loc,
      "no absorption edge found: the edge step (\(fmt(step))) is not clearly above the point-to-point noise "
        + "of mu (\(fmt(noise))); check the mu column or expression, and that the scan crosses the edge")
  }
  let norm = (0..<n).map { (mu[$0] - preEdge[$0]) / step }
  let residue = (0..<n).map { (postEdge[$0] - preEdge[$0]) / step }
  var flat = norm
  for i in ie0..<n { flat[i] = norm[i] - residue[i] + residue[ie0] }

  var used = parameters
  used.e0 = e0
  used.pre1 = pre1
  used.pre2 = pre2
  used.norm1 = norm1
  used.norm2 = norm2
  used.nnorm = nnorm
  return NormalizedSpectrum(
    spectrum: spectrum, e0: e0, edgeStep: step, preEdge: preEdge, postEdge: postEdge, norm: norm,
    flat: flat, parameters: used)
}

/// Smallest edge step, in units of `pointNoise(mu)`, accepted as an absorption edge.
let edgeToNoiseMinimum = 5.0

/// Point-to-point noise of mu (same units): the median absolute second difference, scaled so that
/// for white Gaussian noise it estimates the standard deviation (second differences of independent
/// noise have standard deviation sqrt(6) sigma; median |x| = 0.6745 sigma). Smooth structure (edge,
/// EXAFS oscillations) hardly contributes on the usual energy grids, and the median ignores glitches.
func pointNoise(_ mu: [Double]) -> Double {
  guard mu.count >= 5 else { return 0 }
  var d = [Double](repeating: 0, count: mu.count - 2)
  for i in 1..<(mu.count - 1) {
    let second: Double = mu[i + 1] - 2 * mu[i] + mu[i - 1]
    d[i - 1] = abs(second)
  }
  d.sort()
  return d[d.count / 2] / (0.6745 * 6.0.squareRoot())
}
