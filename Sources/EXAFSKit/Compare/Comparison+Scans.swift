// Repeated scans per sample in a comparison: the spread of a quantity over the scans, next to its noise-based uncertainty.
import Foundation

/// One quantity (hinge ratio, trans angle) measured on each of a sample's scans.
///
/// `mean` is the value the comparison uses. `standardDeviation` is the sample standard deviation of
/// the per-scan values (n − 1 in the denominator) and `standardError` = sd/√n the standard error of
/// the mean; both are nil for a single scan ("not estimable from scans"). `noiseUncertainty` is the
/// per-scan uncertainties (noise or χ² profile) propagated to the mean, √(Σ u_i²)/n, nil when any of
/// them is not estimable.
public struct ScanSpread: Sendable, Equatable, Codable {
  public var count: Int
  public var mean: Double
  public var standardDeviation: Double?
  public var standardError: Double?
  public var noiseUncertainty: Double?

  /// - Precondition: `values` is not empty and has as many entries as `uncertainties`.
  public init(values: [Double], uncertainties: [Double?]) {
    precondition(!values.isEmpty && values.count == uncertainties.count)
    count = values.count
    mean = values.reduce(0, +) / Double(count)
    if count >= 2 {
      let m = mean
      let sd = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)).squareRoot()
      standardDeviation = sd
      standardError = sd / Double(count).squareRoot()
    }
    if uncertainties.allSatisfy({ $0 != nil && $0!.isFinite }) {
      noiseUncertainty = uncertainties.reduce(0) { $0 + $1! * $1! }.squareRoot() / Double(count)
    }
  }

  /// The uncertainty a change is judged with: the scans' standard error when there are at least
  /// two scans, the noise-based one otherwise; and which of the two it is.
  public var judged: (value: Double?, basis: ScanUncertaintyBasis) {
    if let standardError { return (standardError, .scanSpread) }
    return (noiseUncertainty, .noise)
  }

  enum CodingKeys: String, CodingKey {
    case count, mean, standardDeviation = "standard_deviation", standardError = "standard_error"
    case noiseUncertainty = "noise_uncertainty"
  }
}

/// Where the uncertainty of a change came from.
public enum ScanUncertaintyBasis: String, Sendable, Codable {
  /// Standard error of the mean over repeated scans.
  case scanSpread = "scan spread"
  /// Noise (hinge ratio: Monte Carlo over the high-R noise) or the χ² profile (trans angle).
  case noise
  /// The reference and the sample were judged on different bases (one has repeated scans).
  case mixed = "scan spread and noise"
}

/// A change against the reference in units of its combined uncertainty √(u_ref² + u²).
///
/// `inSigma` and `significant` are nil when the combined uncertainty is not estimable or zero, so
/// that a change is never called significant at infinite sigma.
public struct JudgedChange: Sendable, Equatable, Codable {
  public var change: Double
  public var combinedUncertainty: Double?
  public var inSigma: Double?
  public var significant: Bool?
  public var basis: ScanUncertaintyBasis
  public var note: String?

  /// Judges `other.mean - reference.mean`; significant when it exceeds 2 combined uncertainties.
  public init(reference: ScanSpread, other: ScanSpread) {
    change = other.mean - reference.mean
    let a = reference.judged, b = other.judged
    basis = a.basis == b.basis ? a.basis : .mixed
    if let ua = a.value, let ub = b.value {
      let sigma = (ua * ua + ub * ub).squareRoot()
      combinedUncertainty = sigma
      if sigma > 0 && sigma.isFinite {
        inSigma = abs(change) / sigma
        significant = abs(change) > 2 * sigma
      } else {
        note = "combined uncertainty is 0: significance not estimable"
      }
    } else {
      note = "an uncertainty is not estimable: significance left empty"
    }
  }

  enum CodingKeys: String, CodingKey {
    case change, combinedUncertainty = "combined_uncertainty", inSigma = "in_sigma", significant, basis, note
  }
}

/// One sample of a comparison: its scans' records and, with `--octahedron`, their fitted trans angles.
public struct ComparisonSample: Sendable {
  /// Row name (the `--sample` name, or the spectrum's name for a single file).
  public var name: String
  /// One record per processed scan.
  public var records: [SpectrumRecord]
  /// One fitted trans angle per scan (empty without `--octahedron`; a scan whose fit failed is left out).
  public var angles: [FittedTransAngle]
  /// Whether the sample was given as a group of scans (then the table shows the scan columns).
  public var isScanGroup: Bool

  public init(name: String, records: [SpectrumRecord], angles: [FittedTransAngle] = [], isScanGroup: Bool = false) {
    self.name = name; self.records = records; self.angles = angles; self.isScanGroup = isScanGroup
  }
}

extension Comparison {
  /// Table rows of samples (the first is the reference), each from its scans.
  ///
  /// The hinge ratio of a row is the mean over its scans and `hingeUncertainty` the noise-based
  /// uncertainty of that mean. The change is judged with each side's scan standard error when it has
  /// at least two scans, with the noise-based uncertainty otherwise (`significanceBasis` says
  /// which). For one scan per sample this gives the rows of `rows(reference:others:)`.
  public static func rows(samples: [ComparisonSample]) -> [ComparisonRow] {
    func hingeSpread(_ s: ComparisonSample) -> ScanSpread? {
      let hs = s.records.compactMap(\.hinge)
      guard !hs.isEmpty, hs.count == s.records.count else { return nil }
      return ScanSpread(values: hs.map(\.ratio), uncertainties: hs.map { $0.uncertaintyEstimable ? $0.uncertainty : nil })
    }
    func angleSpread(_ s: ComparisonSample) -> ScanSpread? {
      guard !s.angles.isEmpty else { return nil }
      return ScanSpread(values: s.angles.map(\.value), uncertainties: s.angles.map(\.uncertainty))
    }
    guard let ref = samples.first else { return [] }
    let refHinge = hingeSpread(ref), refAngle = angleSpread(ref)
    return samples.enumerated().map { i, s in
      let first = s.records[0]
      let isRef = i == 0
      let h = hingeSpread(s)
      var r = ComparisonRow(
        name: s.name, isReference: isRef, e0: first.e0, edgeStep: first.edgeStep, shellR: first.firstShell?.r,
        shellHeight: first.firstShell?.mag, hingeRatio: h?.mean,
        hingeUncertainty: h.map { $0.noiseUncertainty ?? 0 })
      if s.isScanGroup { r.hingeScans = h }
      if !isRef, let h, let h0 = refHinge, h0.mean != 0 {
        r.relativeChange = (h.mean - h0.mean) / h0.mean
        let judged = JudgedChange(reference: h0, other: h)
        r.changeInSigma = judged.inSigma
        r.significant = judged.significant
        r.significanceBasis = judged.basis
      }
      if let a = angleSpread(s) {
        var o = OctahedronComparison(transAngle: a.mean, uncertainty: a.noiseUncertainty, scans: a)
        if s.angles.count == 1 {
          o.interval = s.angles[0].interval
          o.note = s.angles[0].note
        }
        if s.angles.count < s.records.count {
          o.note = "\(s.records.count - s.angles.count) of \(s.records.count) scans could not be fitted"
        }
        if !isRef, let a0 = refAngle { o.change = JudgedChange(reference: a0, other: a) }
        r.octahedron = o
      }
      return r
    }
  }
}
