// Differences between processed spectra and the comparison table (pristine vs composite).
import Foundation

/// One row of the comparison table.
public struct ComparisonRow: Sendable, Equatable, Codable {
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
  /// Which uncertainty judged the change: the scans' standard error or the noise (nil: no change judged).
  public var significanceBasis: ScanUncertaintyBasis?
  /// The hinge ratios' spread over the sample's repeated scans (a `--sample` group; nil for a single file).
  public var hingeScans: ScanSpread?
  /// The fitted trans angle (`--octahedron`).
  public var octahedron: OctahedronComparison?

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

  enum CodingKeys: String, CodingKey {
    case name, isReference = "is_reference", e0, edgeStep = "edge_step", shellR = "first_shell_r"
    case shellHeight = "first_shell_height", hingeRatio = "hinge_ratio", hingeUncertainty = "hinge_uncertainty"
    case relativeChange = "relative_change", changeInSigma = "change_in_sigma", significant
    case significanceBasis = "significance_basis", hingeScans = "hinge_scans", octahedron
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
    rows(samples: ([ref] + others).map { ComparisonSample(name: $0.name, records: [$0]) })
  }

  /// comparison.csv. Scan columns are appended when a sample was given as a group of scans, angle
  /// columns when a row has a fitted trans angle (`--octahedron`); an empty field is "not estimable"
  /// or "not applicable".
  public static func csv(_ rows: [ComparisonRow]) -> String {
    func n(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.6g", $0) : "inf" } ?? "" }
    func yn(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "" }
    let scans = rows.contains { $0.hingeScans != nil }
    let angles = rows.contains { $0.octahedron != nil }
    var head = "name,role,e0,edge_step,first_shell_r,first_shell_height,hinge_ratio,hinge_uncertainty,relative_change,change_in_sigma,significant"
    if scans { head += ",hinge_scans,hinge_scan_sd,hinge_scan_sem,significance_basis" }
    if angles {
      head += ",trans_angle,trans_angle_uncertainty,trans_angle_lower,trans_angle_upper,angle_scans,angle_scan_sd,"
        + "angle_scan_sem,angle_change,angle_combined_uncertainty,angle_change_in_sigma,angle_significant,angle_basis,angle_note"
    }
    var lines = [head]
    for r in rows {
      var fields = [
        csvQuote(r.name), r.isReference ? "reference" : "other", n(r.e0), n(r.edgeStep), n(r.shellR), n(r.shellHeight),
        n(r.hingeRatio), n(r.hingeUncertainty), n(r.relativeChange), n(r.changeInSigma), yn(r.significant),
      ]
      if scans {
        let h = r.hingeScans
        fields += [h.map { String($0.count) } ?? "", n(h?.standardDeviation), n(h?.standardError), r.significanceBasis?.rawValue ?? ""]
      }
      if angles {
        let o = r.octahedron
        let c = o?.change
        fields += [
          n(o?.transAngle), n(o?.uncertainty), n(o?.interval?.first), n(o?.interval?.last), o.map { String($0.scans.count) } ?? "",
          n(o?.scans.standardDeviation), n(o?.scans.standardError), n(c?.change), n(c?.combinedUncertainty), n(c?.inSigma),
          yn(c?.significant), c.map { $0.basis == .noise ? "chi-square profile" : $0.basis.rawValue } ?? "",
          csvQuote(c?.note ?? o?.note ?? ""),
        ]
      }
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// comparison.json: the rows as they are in the table, with every uncertainty and its basis.
  public static func json(_ rows: [ComparisonRow], reference: String, notes: [String]) throws -> Data {
    struct Document: Encodable {
      var reference: String
      var rows: [ComparisonRow]
      var notes: [String]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .throw
    do { return try encoder.encode(Document(reference: reference, rows: rows, notes: notes)) } catch {
      throw EXAFSError.numerical("comparison.json could not be encoded (a value is not finite): \(error)")
    }
  }

  /// comparison.md: the same table for people (then the scan table and the angle table when present).
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
    if rows.contains(where: { $0.hingeScans != nil }) {
      out += ["", "## Hinge ratio over repeated scans", ""]
      out.append("| sample | scans | mean ratio | noise u of the mean | scan sd | scan standard error | change judged with |")
      out.append("|---|---|---|---|---|---|---|")
      for r in rows {
        guard let h = r.hingeScans else { continue }
        let sd = h.standardDeviation == nil ? "not estimable (1 scan)" : n(h.standardDeviation, "%.4f")
        let se = h.standardError == nil ? "not estimable (1 scan)" : n(h.standardError, "%.4f")
        out.append("| \(r.name) | \(h.count) | \(n(h.mean, "%.4f")) | \(n(h.noiseUncertainty, "%.4f")) | \(sd) | \(se) | \(r.isReference ? "reference" : (r.significanceBasis?.rawValue ?? "–")) |")
      }
    }
    if rows.contains(where: { $0.octahedron != nil }) {
      out += ["", "## Fitted trans angle (exafs octahedron)", ""]
      out.append("| sample | trans angle ± u (°) | one-sigma interval (°) | scans (sd, standard error) | change vs reference (°) | combined σ (°) | significance | judged with |")
      out.append("|---|---|---|---|---|---|---|---|")
      for r in rows {
        guard let o = r.octahedron else {
          out.append("| \(r.name) | not fitted | – | – | – | – | – | – |")
          continue
        }
        let u = o.uncertainty.map { n($0, "%.2f") } ?? "not estimable"
        let interval = o.interval.map { $0.count == 2 ? "\(n($0[0], "%.2f")) … \(n($0[1], "%.2f"))" : "–" } ?? "–"
        let scans = o.scans.count >= 2
          ? "\(o.scans.count) (\(n(o.scans.standardDeviation, "%.2f")), \(n(o.scans.standardError, "%.2f")))"
          : "1 (spread not estimable)"
        var cells = ["reference", "–", "–", "–"]
        if let c = o.change {
          cells = [
            n(c.change, "%+.2f"), c.combinedUncertainty.map { n($0, "%.2f") } ?? "not estimable",
            c.inSigma.map { "\(n($0, "%.1f")) σ" + (c.significant == true ? " (**> 2σ**)" : "") } ?? "– (\(c.note ?? "not estimable"))",
            c.basis == .noise ? "χ² profile" : c.basis.rawValue,
          ]
        } else if !r.isReference {
          cells = ["–", "–", "– (no reference angle)", "–"]
        }
        out.append("| \(r.name) | \(n(o.transAngle, "%.2f")) ± \(u) | \(interval) | \(scans) | " + cells.joined(separator: " | ") + " |")
      }
    }
    out.append("")
    out.append(contentsOf: notes.map { "- \($0)" })
    return out.joined(separator: "\n") + "\n"
  }
}
