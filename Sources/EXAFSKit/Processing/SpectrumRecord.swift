// SpectrumRecord: the one result record of a processed spectrum. NAME.json is its JSON encoding;
// summary.csv, the HTML report and the comparison table are derived from it.
import Foundation

/// A JSON scalar for a parameter value (numbers, text, null). Non-finite numbers encode as null.
public enum JSONScalar: Sendable, Codable, Equatable {
  case number(Double)
  case text(String)
  case null

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let v):
      if v.isFinite { try c.encode(v) } else { try c.encodeNil() }
    case .text(let s): try c.encode(s)
    case .null: try c.encodeNil()
    }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null } else if let v = try? c.decode(Double.self) { self = .number(v) } else {
      self = .text(try c.decode(String.self))
    }
  }

  /// The scalar of a parameter value.
  public init(_ value: ParameterValue) {
    switch value {
    case .real(let v): self = v.map(JSONScalar.number) ?? .null
    case .integer(let v): self = v.map { .number(Double($0)) } ?? .null
    case .window(let w): self = .text(w.rawValue)
    case .choice(let c): self = c.map(JSONScalar.text) ?? .null
    }
  }

  /// The value as text for tables ("–" for null).
  public var text: String {
    switch self {
    case .number(let v): return String(format: "%.6g", v)
    case .text(let s): return s
    case .null: return "–"
    }
  }
}

/// One parameter in the record: the value used and where it came from.
public struct ParameterRecord: Sendable, Codable, Equatable {
  public var value: JSONScalar
  public var source: ParameterSource
  public init(value: JSONScalar, source: ParameterSource) {
    self.value = value
    self.source = source
  }
}

/// The largest |chi(R)| in a range: where it is and how high.
public struct ShellPeak: Sendable, Codable, Equatable {
  /// R of the maximum, Å (phase-uncorrected).
  public var r: Double
  /// |chi(R)| at the maximum, Å^-(w+1).
  public var mag: Double
  public init(r: Double, mag: Double) {
    self.r = r
    self.mag = mag
  }
}

/// The fixed k and R grids of every transform (Larch's defaults; not adjustable).
public struct TransformGrid: Sendable, Codable, Equatable {
  /// k step of chi(k), 1/Å.
  public var kstep: Double
  /// FFT length (zero padding), points.
  public var nfft: Int
  /// R step of chi(R), pi / (kstep nfft), Å.
  public var rstep: Double
}

/// Whether the input was mu(E) or chi(k).
public enum InputKind: String, Sendable, Codable {
  case mu
  case chi
}

/// The result record of one processed spectrum, written as `NAME.json`.
///
/// Every number in it is finite: a quantity that could not be computed is absent, and a warning
/// says why.
public struct SpectrumRecord: Sendable, Codable, Equatable {
  /// Name of the program that wrote the record.
  public struct Tool: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
  }

  /// Output name (file stem or group label).
  public var name: String
  /// Input file.
  public var source: String
  public var tool: Tool
  public var kind: InputKind
  /// Edge energy, eV (mu(E) input).
  public var e0: Double?
  /// Edge step, mu units (mu(E) input).
  public var edgeStep: Double?
  /// Last k of the data, 1/Å.
  public var kmaxData: Double?
  /// First-shell maximum of |chi(R)| between rbkg (1 Å for chi input) and 3.5 Å.
  public var firstShell: ShellPeak?
  /// Every processing parameter used, by Larch name, with its source.
  public var parameters: [String: ParameterRecord]
  /// The k and R grids.
  public var grid: TransformGrid
  /// Metadata of the input (XDI fields, Athena group values ...).
  public var metadata: [String: String]
  /// How the input was read and repaired.
  public var notes: [String]
  /// Things the user should check.
  public var warnings: [String]
  /// Parameters of the wavelet map, when one was computed.
  public var wavelet: WaveletParameters?
  /// Hinge-path metrics, when computed.
  public var hinge: HingeMetrics?

  enum CodingKeys: String, CodingKey {
    case name, source, tool, kind, e0, parameters, grid, metadata, notes, warnings, wavelet, hinge
    case edgeStep = "edge_step"
    case kmaxData = "kmax_data"
    case firstShell = "first_shell"
  }

  /// The record of a processed spectrum. Non-finite results are dropped with a warning.
  public init(_ result: ProcessedSpectrum) {
    name = result.name
    source = result.source
    tool = Tool(name: "exafs (EXAFSKit)", version: exafsKitVersion)
    kind = result.normalized != nil ? .mu : .chi
    metadata = result.metadata
    notes = result.notes
    warnings = result.warnings
    parameters = result.parameterRecords
    let f = result.settings.fourier
    grid = TransformGrid(kstep: f.kstep, nfft: f.nfft, rstep: f.rstep)
    wavelet = result.wavelet?.parameters
    func finite(_ v: Double?, _ what: String) -> Double? {
      guard let v else { return nil }
      if v.isFinite { return v }
      warnings.append("\(what) could not be computed (\(v)); it is left out")
      return nil
    }
    e0 = finite(result.normalized?.e0, "e0")
    edgeStep = finite(result.normalized?.edgeStep, "edge step")
    kmaxData = finite(result.chik.k.last, "kmax of the data")
    let rmin = result.normalized != nil ? result.settings.autobk.rbkg : 1.0
    if let peak = result.chir.peak(rmin: rmin, rmax: 3.5) {
      if peak.r.isFinite && peak.mag.isFinite {
        firstShell = ShellPeak(r: peak.r, mag: peak.mag)
      } else {
        warnings.append("the first-shell peak of |chi(R)| could not be computed (not finite); it is left out")
      }
    }
    if let h = result.hinge {
      if h.isFinite {
        hinge = h
        warnings += h.warnings.map { "hinge: \($0)" }
      } else {
        warnings.append("hinge metrics could not be computed (a ratio or uncertainty is not finite); they are left out")
      }
    }
  }

  /// The column names of `summary.csv`.
  public static let csvHeader =
    "name,source,e0,edge_step,kmax,first_shell_r,first_shell_mag,hinge_ratio,hinge_uncertainty,status,message"

  /// This record as a row of `summary.csv` (RFC 4180 quoting).
  public var csvRow: String {
    func num(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "" }
    return [
      csvQuote(name), csvQuote(source), num(e0), num(edgeStep), num(kmaxData), num(firstShell?.r),
      num(firstShell?.mag), num(hinge?.ratio), num(hinge?.uncertainty), "ok", csvQuote(warnings.joined(separator: "; ")),
    ].joined(separator: ",")
  }

  /// The row of `summary.csv` of an input that failed.
  public static func csvRow(failed name: String, source: String, message: String) -> String {
    [csvQuote(name), csvQuote(source), "", "", "", "", "", "", "", "failed", csvQuote(message)].joined(separator: ",")
  }
}

/// RFC 4180 quoting of one CSV field (quoted when it holds a comma, quote or newline).
package func csvQuote(_ s: String) -> String {
  s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
