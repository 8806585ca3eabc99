// The report card of a series: the trend figure, the axis note, and (for short series) the table.
import EXAFSKit
import Foundation

extension SeriesTable {
  /// Series longer than this show no table in the report (series.csv has every row).
  public static let reportTableRows = 60

  /// The "Series" card of the HTML report: what the x axis is and why, which quantities carry
  /// uncertainty bars, the trend figure (`figure`, a file name in the output folder; nil: none),
  /// and the table of every spectrum when there are at most `reportTableRows`.
  public func reportSection(figure: String?) -> ReportSection {
    func g(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "–" }
    func pm(_ v: Double?, _ u: Double?) -> String {
      guard let v else { return "–" }
      return u.map { String(format: "%.4g ± %.2g", v, $0) } ?? String(format: "%.4g", v)
    }
    let hasAngle = rows.contains { $0.transAngle != nil }
    var header = ["#", "name", axis == .elapsed ? "elapsed (s)" : "time", "E0 (eV)", "edge step", "R₁ (Å)", "|χ(R)|₁", "hinge ratio"]
    if hasAngle { header.append("trans angle (°)") }
    header.append("status")
    let tableRows = rows.map { r -> [String] in
      var row = [
        String(r.index), r.name, axis == .elapsed ? g(r.elapsed) : (r.time?.iso8601 ?? "–"), g(r.e0), g(r.edgeStep),
        g(r.firstShellR), g(r.firstShellMag), pm(r.hingeRatio, r.hingeUncertainty),
      ]
      if hasAngle { row.append(pm(r.transAngle, r.transAngleUncertainty)) }
      row.append(r.status == .ok ? "ok" : "failed: \(r.message)")
      return row
    }
    let shown = rows.count <= Self.reportTableRows
    var paragraphs = notes.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }
    paragraphs.append(
      "Every value of \(Self.fileName) is the one in the spectrum's NAME.json. Bars are ± 1 standard uncertainty and are "
        + "drawn only where the pipeline estimates one (hinge ratio: Monte Carlo over the measured noise; trans angle: "
        + "chi-square profile); E0, edge step and the first-shell peak have no estimate and no bars."
        + (shown ? "" : " The table of all \(rows.count) spectra is in \(Self.fileName)."))
    return ReportSection(
      title: "Series",
      paragraphs: paragraphs,
      tables: shown ? [ReportTable(caption: "Spectra in input order", header: header, rows: tableRows)] : [],
      figures: figure.map { [(file: $0, caption: "Trends against \(axis == .elapsed ? "time" : "scan index")")] } ?? [])
  }
}
