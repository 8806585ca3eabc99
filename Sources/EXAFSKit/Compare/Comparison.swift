// Differences between processed spectra and the comparison table (pristine vs composite).
import Foundation

/// One row of the comparison table.
public struct ComparisonRow: Sendable, Equatable {
  public var name: String
  public var isReference: Bool
  public var e0: Double?
  public var edgeStep: Double?
  /// First-shell |chi(R)| maximum: R (Å) and height.
  public var shellR: Double?
  public var shellHeight: Double?
  /// Hinge ratio and its standard uncertainty.
  public var hingeRatio: Double?
  public var hingeUncertainty: Double?
  /// (ratio - ratio_ref) / ratio_ref.
  public var relativeChange: Double?
  /// |ratio - ratio_ref| / sqrt(u^2 + u_ref^2): the change in units of its combined uncertainty.
  public var changeInSigma: Double?
  /// Whether the change exceeds 2 combined standard uncertainties.
  public var significant: Bool?

  /// Creates the value from its parts (memberwise).
  public init(name: String, isReference: Bool, e0: Double? = nil, edgeStep: Double? = nil, shellR: Double? = nil, shellHeight: Double? = nil, hingeRatio: Double? = nil, hingeUncertainty: Double? = nil, relativeChange: Double? = nil, changeInSigma: Double? = nil, significant: Bool? = nil) {
    self.name = name
    self.isReference = isReference
    self.e0 = e0
    self.edgeStep = edgeStep
    self.shellR = shellR
    self.shellHeight = shellHeight
    self.hingeRatio = hingeRatio
    self.hingeUncertainty = hingeUncertainty
    self.relativeChange = relativeChange
    self.changeInSigma = changeInSigma
    self.significant = significant
  }
}

/// A difference spectrum OTHER - REF on the reference's grid.
public struct DifferenceSpectrum: Sendable, Equatable {
  /// Column names: x, reference, other, difference.
  public var names: [String]
  public var x: [Double]
  public var reference: [Double]
  public var other: [Double]
  public var difference: [Double] { zip(other, reference).map { $0 - $1 } }

  /// Creates the value from its parts (memberwise).
  public init(names: [String], x: [Double], reference: [Double], other: [Double]) {
    self.names = names
    self.x = x
    self.reference = reference
    self.other = other
  }
}

/// Comparison of spectra against a reference, all processed with the same parameters.
public enum Comparison {
  /// Normalized mu(E) of `other` interpolated onto the reference's energies (nil for chi input).
  public static func normDifference(_ ref: ProcessedSpectrum, _ other: ProcessedSpectrum) -> DifferenceSpectrum? {
    guard let a = ref.normalized, let b = other.normalized else { return nil }
    let x = a.spectrum.energy
    return DifferenceSpectrum(
      names: ["energy", "norm_ref", "norm_other", "diff"], x: x, reference: a.norm,
      other: linearInterpolate(x: b.spectrum.energy, y: b.norm, at: x))
  }

  /// k^w chi(k) on the reference's FT grid.
  public static func kwchiDifference(_ ref: ProcessedSpectrum, _ other: ProcessedSpectrum) -> DifferenceSpectrum {
    let x = ref.chir.k
    let n = min(x.count, other.chir.k.count)
    return DifferenceSpectrum(
      names: ["k", "kwchi_ref", "kwchi_other", "diff"], x: Array(x[0..<n]), reference: Array(ref.chir.kwchi[0..<n]),
      other: Array(other.chir.kwchi[0..<n]))
  }

  /// |chi(R)| on the common R grid.
  public static func chirDifference(_ ref: ProcessedSpectrum, _ other: ProcessedSpectrum) -> DifferenceSpectrum {
    let n = min(ref.chir.r.count, other.chir.r.count)
    return DifferenceSpectrum(
      names: ["r", "mag_ref", "mag_other", "diff"], x: Array(ref.chir.r[0..<n]), reference: Array(ref.chir.mag[0..<n]),
      other: Array(other.chir.mag[0..<n]))
  }

  /// The difference |W_other| - |W_ref| on the common grid (maps of the same R grid and k step).
  public static func waveletDifference(_ ref: WaveletMap, _ other: WaveletMap) -> WaveletMap? {
    guard ref.r.count == other.r.count, zip(ref.r, other.r).allSatisfy({ abs($0 - $1) < 1e-9 }) else { return nil }
    let nk = min(ref.k.count, other.k.count)
    guard nk > 0, zip(ref.k.prefix(nk), other.k.prefix(nk)).allSatisfy({ abs($0 - $1) < 1e-9 }) else { return nil }
    var re = [Double](repeating: 0, count: ref.r.count * nk)
    for row in 0..<ref.r.count {
      for col in 0..<nk {
        re[row * nk + col] = other.magnitude(row: row, col: col) - ref.magnitude(row: row, col: col)
      }
    }
    return WaveletMap(
      k: Array(ref.k.prefix(nk)), r: ref.r, re: re, im: [Double](repeating: 0, count: re.count),
      parameters: ref.parameters)
  }

  /// The table rows: the reference first, then every other spectrum with its change against it.
  ///
  /// Rows are derived from the spectra's result records. When the combined uncertainty is zero
  /// (no noise estimate, or no realizations) the change is not expressed in sigma and its
  /// significance is left open (nil) rather than called infinite.
  public static func rows(reference ref: SpectrumRecord, others: [SpectrumRecord]) -> [ComparisonRow] {
    func row(_ s: SpectrumRecord, isRef: Bool) -> ComparisonRow {
      var r = ComparisonRow(
        name: s.name, isReference: isRef, e0: s.e0, edgeStep: s.edgeStep, shellR: s.firstShell?.r,
        shellHeight: s.firstShell?.mag, hingeRatio: s.hinge?.ratio, hingeUncertainty: s.hinge?.uncertainty)
      if !isRef, let h = s.hinge, let h0 = ref.hinge, h0.ratio != 0 {
        r.relativeChange = (h.ratio - h0.ratio) / h0.ratio
        let sigma = (h.uncertainty * h.uncertainty + h0.uncertainty * h0.uncertainty).squareRoot()
        let change = abs(h.ratio - h0.ratio)
        if sigma > 0 {
          r.changeInSigma = change / sigma
          r.significant = change > 2 * sigma
        }
      }
      return r
    }
    return [row(ref, isRef: true)] + others.map { row($0, isRef: false) }
  }

  /// comparison.csv.
  public static func csv(_ rows: [ComparisonRow]) -> String {
    func n(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.6g", $0) : "inf" } ?? "" }
    var lines = [
      "name,role,e0,edge_step,first_shell_r,first_shell_height,hinge_ratio,hinge_uncertainty,relative_change,change_in_sigma,significant"
    ]
    for r in rows {
      let sig = r.significant.map { $0 ? "yes" : "no" } ?? ""
      lines.append(
        [csvQuote(r.name), r.isReference ? "reference" : "other", n(r.e0), n(r.edgeStep), n(r.shellR), n(r.shellHeight),
         n(r.hingeRatio), n(r.hingeUncertainty), n(r.relativeChange), n(r.changeInSigma), sig].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// comparison.md: the same table for people.
  public static func markdown(_ rows: [ComparisonRow], title: String, notes: [String]) -> String {
    func n(_ v: Double?, _ f: String) -> String { v.map { $0.isFinite ? String(format: f, $0) : "∞" } ?? "–" }
    var out = ["# \(title)", ""]
    out.append("| spectrum | E0 (eV) | edge step | 1st shell R (Å) | 1st shell \\|χ(R)\\| | hinge ratio ± u | change vs reference | significant (> 2σ) |")
    out.append("|---|---|---|---|---|---|---|---|")
    for r in rows {
      let ratio = r.hingeRatio.map { _ in "\(n(r.hingeRatio, "%.4f")) ± \(n(r.hingeUncertainty, "%.4f"))" } ?? "–"
      let change = r.isReference ? "reference" : (r.relativeChange.map { _ in
        "\(n(r.relativeChange.map { $0 * 100 }, "%+.1f")) % (\(n(r.changeInSigma, "%.1f")) σ)" } ?? "–")
      let sig = r.significant.map { $0 ? "**yes**" : "no" } ?? "–"
      out.append("| \(r.name) | \(n(r.e0, "%.2f")) | \(n(r.edgeStep, "%.4g")) | \(n(r.shellR, "%.3f")) | \(n(r.shellHeight, "%.4g")) | \(ratio) | \(change) | \(sig) |")
    }
    out.append("")
    out.append(contentsOf: notes.map { "- \($0)" })
    return out.joined(separator: "\n") + "\n"
  }
}
