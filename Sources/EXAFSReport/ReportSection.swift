// ReportSection: a card of the HTML report with text, tables and figures, for results other than
// processed spectra (path fits, octahedron fits ...).
import EXAFSKit
import Foundation

/// A table of a report section: column names and rows of text (all escaped when rendered).
public struct ReportTable: Sendable, Equatable {
  public var caption: String
  public var header: [String]
  public var rows: [[String]]
  public init(caption: String, header: [String], rows: [[String]]) {
    self.caption = caption
    self.header = header
    self.rows = rows
  }
}

/// One card of the report: a title, paragraphs, tables and figures (file names relative to the
/// output folder, with captions).
public struct ReportSection: Sendable, Equatable {
  public var title: String
  public var paragraphs: [String]
  public var tables: [ReportTable]
  public var figures: [(file: String, caption: String)]
  public var warnings: [String]

  public init(
    title: String, paragraphs: [String] = [], tables: [ReportTable] = [], figures: [(file: String, caption: String)] = [],
    warnings: [String] = []
  ) {
    self.title = title
    self.paragraphs = paragraphs
    self.tables = tables
    self.figures = figures
    self.warnings = warnings
  }

  public static func == (a: Self, b: Self) -> Bool {
    a.title == b.title && a.paragraphs == b.paragraphs && a.tables == b.tables && a.warnings == b.warnings
      && a.figures.map(\.file) == b.figures.map(\.file) && a.figures.map(\.caption) == b.figures.map(\.caption)
  }
}

extension HTMLReport {
  /// A report made of sections only (no spectra), e.g. of `exafs fit`.
  public static func sections(title: String, summaryLines: [String], _ sections: [ReportSection]) -> HTMLReport {
    var report = HTMLReport(title: title, summaryLines: summaryLines, entries: [])
    report.sections = sections
    return report
  }

  /// The markup of one section.
  func sectionMarkup(_ s: ReportSection, index: Int) -> [String] {
    let id = "section-\(index + 1)"
    var out = [
      "<section class=\"card\" id=\"\(id)\">",
      "<h2><a class=\"anchor\" href=\"#\(id)\">\(HTML.escape(s.title))</a><a class=\"top\" href=\"#top\">top ↑</a></h2>",
    ]
    out += s.paragraphs.map { "<p>\(HTML.escape($0))</p>" }
    if !s.warnings.isEmpty {
      out.append("<div class=\"message warning\"><strong>Warnings</strong><ul>"
        + s.warnings.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></div>")
    }
    for t in s.tables where !t.rows.isEmpty {
      out.append("<h3>\(HTML.escape(t.caption))</h3>")
      out.append("<table class=\"data compact\"><thead><tr>" + t.header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>")
      out += t.rows.map { "<tr>" + $0.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>" }
      out.append("</tbody></table>")
    }
    if !s.figures.isEmpty {
      out.append("<div class=\"grid two\">")
      out += s.figures.map { figure($0.file, caption: $0.caption, lazy: false) }
      out.append("</div>")
    }
    out.append("</section>")
    return out
  }
}
