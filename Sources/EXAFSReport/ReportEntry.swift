// ReportEntry: the small record of one spectrum that the HTML report shows (metrics, messages, files).
import EXAFSKit
import Foundation

/// One parameter as the report lists it: name, value as text, where it came from.
public struct ReportParameter: Sendable, Equatable {
  public var name: String
  public var value: String
  public var source: String
}

/// What the report shows for one spectrum: a view of its `SpectrumOutcome` (the result record and
/// the names of the files written for it). Nothing is copied out of the record.
public struct ReportEntry: Sendable, Equatable {
  /// The outcome this entry shows.
  public var outcome: SpectrumOutcome

  public init(_ outcome: SpectrumOutcome) { self.outcome = outcome }

  /// The entry of a spectrum (or input file) that could not be processed.
  public init(failed name: String, source: String, message: String) {
    outcome = SpectrumOutcome(failed: name, source: source, message: message)
  }

  var record: SpectrumRecord? { outcome.record }
  public var name: String { outcome.name }
  public var source: String { outcome.source }
  public var status: SpectrumOutcome.Status { outcome.status }
  public var message: String? { outcome.message }
  public var kind: String? { record?.kind.rawValue }
  public var e0: Double? { record?.e0 }
  public var edgeStep: Double? { record?.edgeStep }
  public var kmax: Double? { record?.kmaxData }
  public var shellR: Double? { record?.firstShell?.r }
  public var shellHeight: Double? { record?.firstShell?.mag }
  public var hinge: HingeMetrics? { record?.hinge }
  public var notes: [String] { record?.notes ?? [] }
  public var warnings: [String] { record?.warnings ?? [] }
  public var metadata: [String: String] { record?.metadata ?? [:] }
  /// Parameters used, sorted by name.
  public var parameters: [ReportParameter] {
    (record?.parameters ?? [:]).sorted { $0.key < $1.key }.map { name, r in
      ReportParameter(name: name, value: r.value.text, source: r.source.rawValue)
    }
  }
  private static let figureExtensions: Set<String> = ["png", "svg", "pdf"]
  /// Figures written for this spectrum (PNG/SVG shown, PDF linked), in drawing order.
  public var images: [String] { outcome.files.filter { Self.figureExtensions.contains(HTML.fileExtension($0)) } }
  /// Data files written for this spectrum (NAME.nor, NAME.chik, NAME.chir, NAME.wavelet, NAME.json).
  public var dataFiles: [String] { outcome.files.filter { !Self.figureExtensions.contains(HTML.fileExtension($0)) } }

  /// Every file the entry links to.
  public var files: [String] { images + dataFiles }

  /// What a figure or data file of this entry shows, from the part between the name and the
  /// extension (`NAME.mu.png` -> "mu").
  func caption(_ file: String) -> String {
    let rest = file.hasPrefix(name + ".") ? String(file.dropFirst(name.count + 1)) : file
    let isFigure = ["png", "svg", "pdf"].contains(HTML.fileExtension(file))
    let part = isFigure ? (rest as NSString).deletingPathExtension : rest
    switch (part, isFigure) {
    case ("mu", true):
      return "μ(E) with pre-edge line, post-edge curve, E0 and AUTOBK background; XANES zoom; normalized and flattened μ(E); derivative"
    case ("kweights", true): return "χ(k) weighted by k, k² and k³, with the Fourier-transform window"
    case ("chiq", false): return "χ(q), back transform"
    case ("chiq", true): return "χ(q), the back transform of the R window, over k-weighted χ(k) with the FT window"
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
}
