// ReportEntry: the small record of one spectrum that the HTML report shows (metrics, messages, files).
import Foundation

/// One parameter as the report lists it: canonical name, value as text, where it came from.
public struct ReportParameter: Sendable, Codable, Equatable {
  public var name: String
  public var value: String
  public var source: String

  public init(name: String, value: String, source: String) {
    self.name = name
    self.value = value
    self.source = source
  }
}

/// What the report shows for one spectrum: its metrics, notes and warnings, and the names of the
/// files written for it (relative to the output folder).
///
/// Built from `ProcessingSummary` and the written file names, so a streaming batch keeps only
/// this record (a few hundred bytes plus metadata), never the processed spectrum.
public struct ReportEntry: Sendable, Codable, Equatable {
  /// Whether the spectrum was processed.
  public enum Status: String, Sendable, Codable {
    case ok
    case failed
  }

  /// Output name (file stem or group label).
  public var name: String
  /// Input file.
  public var source: String
  public var status: Status
  /// Why processing failed (for `.failed`).
  public var message: String?
  /// "mu" for mu(E) input, "chi" for chi(k) input.
  public var kind: String?
  /// Edge energy, eV.
  public var e0: Double?
  /// Edge step, in mu units.
  public var edgeStep: Double?
  /// Last k of the data, 1/Å.
  public var kmax: Double?
  /// First-shell maximum of |chi(R)|: R in Å (phase-uncorrected) and height.
  public var shellR: Double?
  public var shellHeight: Double?
  /// Hinge-path metrics, when computed.
  public var hinge: HingeMetrics?
  /// How the input was read and repaired.
  public var notes: [String] = []
  /// Things the user should check.
  public var warnings: [String] = []
  /// Metadata of the input (XDI fields, Athena group values ...).
  public var metadata: [String: String] = [:]
  /// Parameters used, sorted by name.
  public var parameters: [ReportParameter] = []
  /// Figures written for this spectrum (PNG/SVG shown, PDF linked), in drawing order.
  public var images: [String] = []
  /// Data files written for this spectrum (NAME.nor, NAME.chik, NAME.chir, NAME.wavelet, NAME.json).
  public var dataFiles: [String] = []

  /// The entry of a processed spectrum.
  ///
  /// - Parameters:
  ///   - summary: the spectrum's `summary` (as written to NAME.json).
  ///   - files: names of the files written for it, relative to the output folder; figures
  ///     (`png`, `svg`, `pdf`) become `images`, the rest `dataFiles`.
  public init(summary: ProcessingSummary, files: [String]) {
    name = summary.name
    source = summary.source
    status = .ok
    kind = summary.kind
    e0 = summary.e0
    edgeStep = summary.edge_step
    kmax = summary.kmax_data
    shellR = summary.first_shell?["r"]
    shellHeight = summary.first_shell?["mag"]
    hinge = summary.hinge
    notes = summary.notes
    warnings = summary.warnings
    metadata = summary.metadata
    parameters = summary.parameters.sorted { $0.key < $1.key }.map { name, record in
      ReportParameter(name: name, value: Self.text(record.value), source: record.source.rawValue)
    }
    let figureExtensions: Set<String> = ["png", "svg", "pdf"]
    images = files.filter { figureExtensions.contains(HTML.fileExtension($0)) }
    dataFiles = files.filter { !figureExtensions.contains(HTML.fileExtension($0)) }
  }

  /// The entry of a spectrum (or input file) that could not be processed.
  public init(failed name: String, source: String, message: String) {
    self.name = name
    self.source = source
    self.status = .failed
    self.message = message
  }

  /// Every file the entry links to.
  public var files: [String] { images + dataFiles }

  /// What a figure or data file of this entry shows, from the part between the name and the
  /// extension (`NAME.mu.png` -> "mu").
  func caption(_ file: String) -> String {
    let rest = file.hasPrefix(name + ".") ? String(file.dropFirst(name.count + 1)) : file
    let isFigure = ["png", "svg", "pdf"].contains(HTML.fileExtension(file))
    let part = isFigure ? (rest as NSString).deletingPathExtension : rest
    switch (part, isFigure) {
    case ("mu", true): return "μ(E) with pre-edge line, post-edge curve, E0 and AUTOBK background; normalized and flattened μ(E)"
    case ("chik", true): return "k-weighted χ(k) with the Fourier-transform window"
    case ("chir", true): return "|χ(R)| and Re χ(R)" + (hinge != nil ? " with the first-shell and hinge windows" : "")
    case ("wavelet", true): return "Wavelet map |W(k, R)|" + (hinge != nil ? " with the first-shell and hinge windows outlined" : "")
    case ("nor", false): return "normalized μ(E)"
    case ("chik", false): return "χ(k)"
    case ("chir", false): return "χ(R)"
    case ("wavelet", false): return "wavelet grid"
    case ("json", false): return "summary and parameters"
    default: return part
    }
  }

  private static func text(_ value: JSONScalar) -> String {
    switch value {
    case .number(let v): return HTML.number(v, "%.6g")
    case .text(let s): return s
    case .null: return "–"
    }
  }
}
