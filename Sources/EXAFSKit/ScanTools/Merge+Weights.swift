// Weighted merges (Athena's "importance" and weighting by the noise of each scan), in mu(E), normalized mu(E) or chi(k).
import Foundation

/// The quantity a weighted merge averages.
public enum WeightedMergeQuantity: String, Sendable, Codable, CaseIterable {
  /// mu(E) as measured, on the first scan's energies.
  case mu
  /// Normalized mu(E) (each scan normalized with `MergeParameters.normalization`), on the first scan's energies.
  case norm
  /// chi(k) (each scan normalized and AUTOBK'd), on the uniform k grid.
  case chi
}

/// How the scans of a merge are weighted.
public enum MergeWeighting: Sendable, Codable, Equatable {
  /// Every scan counts the same (Larch's `merge_groups`, Athena's default).
  case equal
  /// One non-negative weight per scan, in merge order (Athena's "importance").
  case importance([Double])
  /// Weight 1/sigma_i^2 with sigma_i each scan's noise in the merged quantity: the point-to-point
  /// noise of mu(E) (median absolute second difference, `pointNoise`), divided by the edge step for
  /// norm; Larch's `estimate_noise` epsilon_k for chi.
  case inverseVariance
}

/// A weighted merge: the weighted mean and standard deviation, and the weights used.
public struct WeightedMerge: Sendable, Equatable {
  /// The quantity merged.
  public var quantity: WeightedMergeQuantity
  /// Grid, weighted mean and weighted population standard deviation; `merged.space` is `.energy`
  /// for mu and norm, `.k` for chi.
  public var merged: MergedScans
  /// The weights, normalized to sum to 1, in merge order.
  public var weights: [Double]
  /// Each scan's noise estimate in the merged quantity (reported for every weighting).
  public var noise: [Double]
  /// Each scan's curve in the merged quantity on `merged.x` (linearly interpolated), in merge order.
  public var curves: [[Double]] = []
}

/// Merges repeated scans with weights:
///
///     mean(x) = sum_i w_i y_i(x) / sum_i w_i,   stddev(x) = sqrt(sum_i w_i (y_i(x) - mean(x))^2 / sum_i w_i)
///
/// on the grid of `mergeScans` (the first scan's energies inside the overlap, or k = 0, kstep, ...
/// inside it), each scan interpolated linearly. With `.equal` this is `mergeScans` (population
/// standard deviation, ddof = 0).
/// - Throws: `.invalidParameter` for no scans, importance weights of the wrong count, negative or
///   all zero, or a scan with zero noise under `.inverseVariance`; `.unusableData` as `mergeScans`.
public func mergeScans(
  _ scans: [XASSpectrum], quantity: WeightedMergeQuantity, weighting: MergeWeighting,
  parameters: MergeParameters = .init()
) throws -> WeightedMerge {
  guard let first = scans.first else {
    throw EXAFSError.invalidParameter("scans", "nothing to merge: no mu(E) scans were given")
  }
  var curves: [MergeCurve] = []
  var noise: [Double] = []
  for scan in scans {
    switch quantity {
    case .mu:
      curves.append((scan.energy, scan.mu, scan.name, scan.source))
      noise.append(pointNoise(scan.mu))
    case .norm:
      let n = try normalize(scan, parameters: parameters.normalization)
      curves.append((scan.energy, n.norm, scan.name, scan.source))
      noise.append(pointNoise(scan.mu) / abs(n.edgeStep))
    case .chi:
      let chi = try autobk(normalize(scan, parameters: parameters.normalization), parameters: parameters.autobk)
      curves.append((chi.k, chi.chi, scan.name, scan.source))
      noise.append(estimateNoise(k: chi.k, chi: chi.chi).epsilonK)
    }
  }
  let raw: [Double]
  switch weighting {
  case .equal:
    raw = [Double](repeating: 1, count: scans.count)
  case .importance(let w):
    guard w.count == scans.count else {
      throw EXAFSError.invalidParameter("importance", "give one weight per scan: \(w.count) weights for \(scans.count) scans")
    }
    guard w.allSatisfy({ $0 >= 0 && $0.isFinite }), w.contains(where: { $0 > 0 }) else {
      throw EXAFSError.invalidParameter("importance", "weights must be finite, not negative, and not all zero")
    }
    raw = w
  case .inverseVariance:
    if let i = noise.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
      throw EXAFSError.invalidParameter(
        "weighting", "\(scans[i].name) has no measurable noise (\(noise[i])); weight by importance instead")
    }
    raw = noise.map { 1 / ($0 * $0) }
  }
  let total = raw.reduce(0, +)
  let weights = raw.map { $0 / total }
  let unit = quantity == .chi ? "1/Å" : "eV"
  let (lo, hi) = try overlap(curves, unit: unit)
  let grid: [Double]
  if quantity == .chi {
    let i0 = Int((lo / parameters.kstep - 1e-9).rounded(.up)), i1 = Int((hi / parameters.kstep + 1e-9).rounded(.down))
    grid = i1 >= i0 ? (i0...i1).map { Double($0) * parameters.kstep } : []
  } else {
    grid = curves[0].x.filter { $0 >= lo && $0 <= hi }
  }
  guard grid.count >= SpectrumReader.minimumPoints else {
    throw EXAFSError.unusableData(
      SourceLocation(file: first.source),
      "the scans overlap over \(grid.count) grid points; at least \(SpectrumReader.minimumPoints) are needed for a merge")
  }
  let values = curves.map { linearInterpolate(x: $0.x, y: $0.y, at: grid) }
  var mean = [Double](repeating: 0, count: grid.count)
  var stddev = mean
  for i in grid.indices {
    // Deviations from the first scan, as mergeScans: identical scans stay exactly identical.
    let base = values[0][i]
    var m = 0.0
    for (j, v) in values.enumerated() { m += weights[j] * (v[i] - base) }
    var squares = 0.0
    for (j, v) in values.enumerated() {
      let d = v[i] - base - m
      squares += weights[j] * d * d
    }
    mean[i] = base + m
    stddev[i] = squares.squareRoot()
  }
  let merged = MergedScans(
    space: quantity == .chi ? .k : .energy, x: grid, mean: mean, stddev: stddev, names: scans.map(\.name),
    sources: scans.map(\.source), metadata: first.metadata)
  return WeightedMerge(quantity: quantity, merged: merged, weights: weights, noise: noise, curves: values)
}
