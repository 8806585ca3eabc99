// XASSpectrum+ScanTools: energy ranges, truncation, point removal and energy shifts of one scan.
import Foundation

/// A closed interval of photon energy, eV, as given to `--remove E1:E2`.
public struct EnergyRange: Sendable, Codable, Equatable, CustomStringConvertible {
  /// Lower end, eV.
  public var lower: Double
  /// Upper end, eV (>= `lower`).
  public var upper: Double

  /// The interval [min(a, b), max(a, b)], eV.
  ///
  /// - Throws: `.invalidParameter(parameter, ...)` when an end is not a finite number.
  public init(_ a: Double, _ b: Double, parameter: String = "remove") throws {
    guard a.isFinite, b.isFinite else {
      throw EXAFSError.invalidParameter(parameter, "energy range ends must be finite numbers, got \(a) and \(b)")
    }
    lower = min(a, b)
    upper = max(a, b)
  }

  /// Parses `E1:E2` (absolute energies, eV, either order); a single energy `E` means [E, E].
  ///
  /// - Throws: `.invalidParameter(parameter, ...)` for text that is not two numbers separated by `:`.
  public init(parsing text: String, parameter: String = "remove") throws {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    let numbers = parts.compactMap { Double($0) }
    guard parts.count == 2 || parts.count == 1, numbers.count == parts.count else {
      throw EXAFSError.invalidParameter(
        parameter, "expected an energy range E1:E2 in eV (e.g. 10350:10356.5), got '\(text)'")
    }
    try self.init(numbers[0], numbers[numbers.count - 1], parameter: parameter)
  }

  /// True when `lower <= energy <= upper`.
  public func contains(_ energy: Double) -> Bool { energy >= lower && energy <= upper }

  /// `lower:upper` with the numbers as given.
  public var description: String { "\(ScanText.number(lower)):\(ScanText.number(upper))" }
}

extension XASSpectrum {
  /// This spectrum restricted to `emin <= E <= emax` (absolute energies, eV; nil leaves that end open),
  /// as Athena's truncation tool. `i0` is cut alongside; a note records the cut.
  ///
  /// - Throws: `.invalidParameter("emin", ...)` when `emin >= emax`; `.unusableData` (naming the
  ///   file) when fewer than 20 points remain.
  public func truncated(emin: Double? = nil, emax: Double? = nil) throws -> XASSpectrum {
    if let emin, let emax, !(emin < emax) {
      throw EXAFSError.invalidParameter(
        "emin", "emin (\(ScanText.number(emin)) eV) must be below emax (\(ScanText.number(emax)) eV)")
    }
    guard emin != nil || emax != nil else { return self }
    let lo = emin ?? -Double.infinity
    let hi = emax ?? Double.infinity
    let kept = energy.indices.filter { energy[$0] >= lo && energy[$0] <= hi }
    let range = "\(emin.map { ScanText.number($0) } ?? "start") to \(emax.map { ScanText.number($0) } ?? "end") eV"
    guard kept.count >= SpectrumReader.minimumPoints else {
      throw EXAFSError.unusableData(
        SourceLocation(file: source),
        "only \(kept.count) points of '\(name)' lie between \(range) (data span "
          + "\(ScanText.number(energy.first ?? .nan)) to \(ScanText.number(energy.last ?? .nan)) eV); "
          + "at least \(SpectrumReader.minimumPoints) are needed")
    }
    var out = keeping(kept)
    out.notes.append("truncated to \(range): \(energy.count - kept.count) points dropped")
    return out
  }

  /// The text of a column file holding this scan: `header` comment lines, the element and edge,
  /// then the columns `energy mu` (and `i0` when known), readable by `SpectrumReader` and numpy.
  public func columnFileText(header: [String]) -> String {
    var columns = [energy, mu]
    var names = ["energy", "mu"]
    if let i0 {
      columns.append(i0)
      names.append("i0")
    }
    return ColumnFileWriter.format(header: header + ScanText.elementFields(metadata), names: names, columns: columns)
  }

  /// This spectrum with only the points at `indices` (increasing), `i0` cut alongside (dropped
  /// when its length does not match).
  func keeping(_ indices: [Int]) -> XASSpectrum {
    var out = self
    out.energy = indices.map { energy[$0] }
    out.mu = indices.map { mu[$0] }
    out.i0 = i0.flatMap { values in values.count == energy.count ? indices.map { values[$0] } : nil }
    return out
  }

  /// This spectrum with `eshift` (eV) added to every energy, as Athena's and Larch's energy shift.
  public func shifted(by eshift: Double) -> XASSpectrum {
    guard eshift != 0 else { return self }
    var out = self
    out.energy = energy.map { $0 + eshift }
    out.notes.append("energy shifted by \(ScanText.number(eshift)) eV")
    return out
  }
}

/// Text helpers shared by the scan tools.
enum ScanText {
  /// `%.6g` of `x`, for headers and messages.
  static func number(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    return String(format: "%.6g", x)
  }

  /// `Element.symbol: W` and `Element.edge: L3` header fields from `metadata` (any key case), so
  /// that files we write keep the element and edge for later reads and Athena export.
  static func elementFields(_ metadata: [String: String]) -> [String] {
    ["Element.symbol", "Element.edge"].compactMap { key in
      metadata.first { $0.key.lowercased() == key.lowercased() }.map { "\(key): \($0.value)" }
    }
  }
}
