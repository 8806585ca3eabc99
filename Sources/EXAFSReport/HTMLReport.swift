// HTMLReport: OUTDIR/index.html, one self-contained page with every spectrum's plots and metrics and,
// for `exafs compare`, the overlays, wavelet comparisons and the comparison table.
import EXAFSKit
import Foundation

/// The comparison part of a report: the table, its notes, the overlay and wavelet figures and the
/// difference files, all named relative to the output folder.
public struct ComparisonReport: Sendable {
  /// Name of the reference spectrum.
  public var reference: String
  /// Names of the spectra compared with it.
  public var others: [String]
  /// The comparison table (reference first).
  public var rows: [ComparisonRow]
  /// Notes under the table (shared parameters, significance rule, hinge windows).
  public var notes: [String]
  /// Figures: `overlay-mu`, `overlay-chik`, `overlay-chir`, `wavelet-OTHER-vs-REF` files.
  public var figures: [String]
  /// Difference spectra and tables (`.nor.diff`, `.chik.diff`, `.chir.diff`, `.wavelet`,
  /// `comparison.csv`, `comparison.md`).
  public var dataFiles: [String]

  public init(
    reference: String, others: [String], rows: [ComparisonRow], notes: [String], figures: [String],
    dataFiles: [String]
  ) {
    self.reference = reference
    self.others = others
    self.rows = rows
    self.notes = notes
    self.figures = figures
    self.dataFiles = dataFiles
  }

  /// What a comparison figure shows, from its file stem.
  func caption(_ file: String) -> String {
    let stem = (file as NSString).deletingPathExtension
    switch stem {
    case "overlay-mu": return "Flattened μ(E) of every spectrum"
    case "overlay-chik": return "k-weighted χ(k) of every spectrum"
    case "overlay-chir": return "|χ(R)| of every spectrum, first-shell and hinge windows shaded"
    default:
      if let other = others.first(where: { stem == "wavelet-\($0)-vs-\(reference)" }) {
        return "Wavelet maps of \(reference) and \(other) on one colour scale, and their difference \(other) − \(reference)"
      }
      return stem
    }
  }

  /// Whether the figure is a wide wavelet comparison (three panels) rather than an overlay.
  func isWide(_ file: String) -> Bool {
    !(file as NSString).deletingPathExtension.hasPrefix("overlay-")
  }
}

/// `OUTDIR/index.html`: a page that needs no network and no JavaScript. Images are linked by
/// relative file names (so the folder can be moved or zipped as a whole), the style sheet is
/// inline, and a Content-Security-Policy forbids scripts and remote loads outright. Every string
/// that came from a file is HTML-escaped.
///
/// With many spectra the page opens with a summary table whose names link to each spectrum's
/// section; images below the first screens load lazily.
public struct HTMLReport: Sendable {
  /// File name of the report inside the output folder.
  public static let fileName = "index.html"

  /// Page title (escaped when rendered).
  public var title: String
  /// Lines under the title: what was run, how many spectra, where the tables are.
  public var summaryLines: [String]
  /// One entry per spectrum, in processing order (failed ones included).
  public var entries: [ReportEntry]
  /// The comparison, for `exafs compare`.
  public var comparison: ComparisonReport?
  /// Cards for other results (fits ...), shown before the spectra.
  public var sections: [ReportSection] = []

  public init(title: String, summaryLines: [String] = [], entries: [ReportEntry], comparison: ComparisonReport? = nil) {
    self.title = title
    self.summaryLines = summaryLines
    self.entries = entries
    self.comparison = comparison
  }

  /// Every file the page links to (images and data files), relative to the output folder.
  public var referencedFiles: [String] {
    (comparison.map { $0.figures + $0.dataFiles } ?? []) + sections.flatMap { $0.figures.map(\.file) }
      + entries.flatMap(\.files)
  }

  /// Referenced files that do not exist in `folder` (empty when the page is complete).
  public func missingFiles(in folder: String) -> [String] {
    referencedFiles.filter { !FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
  }

  /// Writes `index.html` into `folder` atomically and returns its path.
  /// - Throws: `EXAFSError.writeFailed` when the file cannot be written.
  @discardableResult
  public func write(toFolder folder: String) throws -> String {
    let path = (folder as NSString).appendingPathComponent(Self.fileName)
    try AtomicWriter.write(html(), to: path)
    return path
  }
}

extension HTMLReport {
  /// The report of `exafs process`: a summary table, then one section per spectrum.
  public static func batch(entries: [ReportEntry]) -> HTMLReport {
    let failed = entries.filter { $0.status == .failed }.count
    let warned = entries.filter { !$0.warnings.isEmpty }.count
    return HTMLReport(
      title: "exafs process: \(entries.count) spectr\(entries.count == 1 ? "um" : "a")",
      summaryLines: [
        "\(entries.count - failed) processed, \(failed) failed, \(warned) with warnings; numbers in summary.csv, "
          + "parameters and metrics of each spectrum in NAME.json."
      ],
      entries: entries)
  }

  /// The report of `exafs compare`: the comparison table and figures, then one section per spectrum.
  public static func comparison(_ comparison: ComparisonReport, entries: [ReportEntry]) -> HTMLReport {
    let failed = entries.filter { $0.status == .failed }.count
    var lines = [
      "Reference \(comparison.reference), compared with \(comparison.others.count) spectr\(comparison.others.count == 1 ? "um" : "a"). "
        + "All processed with the same parameters; how E0 was chosen is in the notes."
    ]
    if failed > 0 { lines.append("\(failed) input\(failed == 1 ? "" : "s") could not be processed (see below).") }
    return HTMLReport(
      title: "Comparison with \(comparison.reference)", summaryLines: lines, entries: entries, comparison: comparison)
  }
}
