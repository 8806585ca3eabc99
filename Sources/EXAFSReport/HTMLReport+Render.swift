// The markup of the HTML report: header, comparison, summary table and one section per spectrum.
import EXAFSKit
import Foundation

extension HTMLReport {
  /// Sections after this many spectra load their images lazily (the browser fetches them when
  /// scrolled near), so a report of thousands of spectra opens quickly.
  static let eagerSpectra = 8

  /// The whole page.
  public func html() -> String {
    var out: [String] = [
      "<!DOCTYPE html>",
      "<html lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
      // No scripts, no remote content: images from this folder only, the inline style sheet.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'\">",
      "<meta name=\"generator\" content=\"EXAFSKit \(exafsKitVersion)\">",
      "<title>\(HTML.escape(title))</title>",
      "<style>\(ReportStyle.css)</style>",
      "</head>",
      "<body>",
      "<header id=\"top\">",
      "<h1>\(HTML.escape(title))</h1>",
    ]
    out += summaryLines.map { "<p>\(HTML.escape($0))</p>" }
    out.append("</header>")
    out.append("<main>")
    for (i, section) in sections.enumerated() { out += sectionMarkup(section, index: i) }
    if let comparison {
      out += comparisonSection(comparison)
    } else if !entries.isEmpty {
      out += summaryTable()
    }
    for (i, entry) in entries.enumerated() {
      out += spectrumSection(entry, index: i, lazy: i >= Self.eagerSpectra)
    }
    out.append("</main>")
    out.append("<footer>Written by exafs (EXAFSKit \(exafsKitVersion)). Images and data files are next to this page.</footer>")
    out.append("</body>")
    out.append("</html>")
    return out.joined(separator: "\n") + "\n"
  }

  /// Anchor of the i-th spectrum's section (independent of the name, so always a valid id).
  static func anchor(_ index: Int) -> String { "spectrum-\(index + 1)" }

  /// Anchor of the spectrum called `name`, if it has a section.
  func anchor(named name: String) -> String? {
    entries.firstIndex { $0.name == name }.map(Self.anchor)
  }

  // MARK: Tables

  /// The table of every spectrum with links to their sections (for `exafs process`).
  func summaryTable() -> [String] {
    let hasHinge = entries.contains { $0.hinge != nil }
    var out = [
      "<section class=\"card\" id=\"summary\">",
      "<h2>Summary</h2>",
      "<p class=\"muted\">Names link to each spectrum's figures; the same numbers are in "
        + "<a href=\"summary.csv\">summary.csv</a>.</p>",
      "<div class=\"scroll\"><table class=\"data\">",
      Self.headerRow(
        [
          ("#", true), ("Spectrum", false), ("E0<br>(eV)", true), ("Edge<br>step", true), ("k max<br>(Å⁻¹)", true),
          ("1st shell<br>R (Å)", true), ("1st shell<br>|χ(R)|", true),
        ] + (hasHinge ? [("Hinge ratio<br>± u", true)] : []) + [("Status", false)]),
      "<tbody>",
    ]
    for (i, e) in entries.enumerated() {
      let status: String
      switch (e.status, e.warnings.count) {
      case (.failed, _): status = "<span class=\"badge bad\">failed</span>"
      case (.ok, 0): status = "<span class=\"badge good\">ok</span>"
      case (.ok, let n): status = "<span class=\"badge warn\">\(n) warning\(n == 1 ? "" : "s")</span>"
      }
      out.append(
        "<tr><td class=\"num\">\(i + 1)</td><td><a href=\"#\(Self.anchor(i))\">\(HTML.escape(e.name))</a></td>"
          + "<td class=\"num\">\(HTML.number(e.e0, "%.2f"))</td><td class=\"num\">\(HTML.number(e.edgeStep, "%.4g"))</td>"
          + "<td class=\"num\">\(HTML.number(e.kmax, "%.2f"))</td><td class=\"num\">\(HTML.number(e.shellR, "%.3f"))</td>"
          + "<td class=\"num\">\(HTML.number(e.shellHeight, "%.4g"))</td>"
          + (hasHinge ? "<td class=\"num\">\(HTML.withUncertainty(e.hinge?.ratio, e.hinge?.uncertainty, "%.4f"))</td>" : "")
          + "<td>\(status)</td></tr>")
    }
    out += ["</tbody>", "</table></div>", "</section>"]
    return out
  }

  /// The comparison table, its notes, the overlays, the wavelet comparisons and the difference files.
  func comparisonSection(_ c: ComparisonReport) -> [String] {
    var out = [
      "<section class=\"card\" id=\"comparison\">",
      "<h2>Comparison table</h2>",
      "<div class=\"scroll\"><table class=\"data\">",
      Self.headerRow([
        ("Spectrum", false), ("E0<br>(eV)", true), ("Edge<br>step", true), ("1st shell<br>R (Å)", true),
        ("1st shell<br>|χ(R)|", true), ("Hinge ratio<br>± u", true), ("Change vs<br>reference", true),
        ("Significant<br>(&gt; 2σ)", false),
      ]),
      "<tbody>",
    ]
    for r in c.rows {
      let name = anchor(named: r.name).map { "<a href=\"#\($0)\">\(HTML.escape(r.name))</a>" } ?? HTML.escape(r.name)
      let change: String
      if r.isReference {
        change = "<span class=\"badge ref\">reference</span>"
      } else if let rel = r.relativeChange {
        change = "\(HTML.number(rel * 100, "%+.1f")) % (\(HTML.number(r.changeInSigma, "%.1f")) σ)"
      } else {
        change = "–"
      }
      let significant = r.significant.map {
        $0 ? "<span class=\"badge bad\">yes</span>" : "<span class=\"badge good\">no</span>"
      } ?? "–"
      out.append(
        "<tr\(r.isReference ? " class=\"reference\"" : "")><td>\(name)</td>"
          + "<td class=\"num\">\(HTML.number(r.e0, "%.2f"))</td><td class=\"num\">\(HTML.number(r.edgeStep, "%.4g"))</td>"
          + "<td class=\"num\">\(HTML.number(r.shellR, "%.3f"))</td><td class=\"num\">\(HTML.number(r.shellHeight, "%.4g"))</td>"
          + "<td class=\"num\">\(HTML.withUncertainty(r.hingeRatio, r.hingeUncertainty, "%.4f"))</td>"
          + "<td class=\"num\">\(change)</td><td>\(significant)</td></tr>")
    }
    out += ["</tbody>", "</table></div>"]
    out += scanAndAngleTables(c.rows)
    if !c.notes.isEmpty {
      out.append("<ul class=\"notes\">" + c.notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>")
    }
    let overlays = c.figures.filter { !c.isWide($0) }
    let wide = c.figures.filter { c.isWide($0) }
    if !overlays.isEmpty {
      out.append("<h3>Overlays</h3>")
      out.append("<div class=\"grid two\">")
      out += overlays.map { figure($0, caption: c.caption($0), lazy: false) }
      out.append("</div>")
    }
    if !wide.isEmpty {
      out.append("<h3>Wavelet maps and their difference</h3>")
      out.append("<div class=\"grid one\">")
      out += wide.map { figure($0, caption: c.caption($0), lazy: false) }
      out.append("</div>")
    }
    if !c.dataFiles.isEmpty {
      out.append("<p class=\"files\"><span class=\"muted\">Tables and difference files:</span> " + fileLinks(c.dataFiles) + "</p>")
    }
    out.append("</section>")
    return out
  }

  /// The hinge ratio over repeated scans and the fitted trans angle, when the comparison has them.
  func scanAndAngleTables(_ rows: [ComparisonRow]) -> [String] {
    var out: [String] = []
    if rows.contains(where: { $0.hingeScans != nil }) {
      out += ["<h3>Hinge ratio over repeated scans</h3>", "<div class=\"scroll\"><table class=\"data\">"]
      out.append(Self.headerRow([
        ("Sample", false), ("Scans", true), ("Mean<br>ratio", true), ("Noise u<br>of the mean", true), ("Scan<br>sd", true),
        ("Scan standard<br>error", true), ("Change judged<br>with", false),
      ]))
      out.append("<tbody>")
      for r in rows {
        guard let h = r.hingeScans else { continue }
        let one = "<span class=\"muted\">not estimable (1 scan)</span>"
        out.append(
          "<tr><td>\(HTML.escape(r.name))</td><td class=\"num\">\(h.count)</td><td class=\"num\">\(HTML.number(h.mean, "%.4f"))</td>"
            + "<td class=\"num\">\(HTML.number(h.noiseUncertainty, "%.4f"))</td>"
            + "<td class=\"num\">\(h.standardDeviation == nil ? one : HTML.number(h.standardDeviation, "%.4f"))</td>"
            + "<td class=\"num\">\(h.standardError == nil ? one : HTML.number(h.standardError, "%.4f"))</td>"
            + "<td>\(r.isReference ? "reference" : HTML.escape(r.significanceBasis?.rawValue ?? "–"))</td></tr>")
      }
      out += ["</tbody>", "</table></div>"]
    }
    if rows.contains(where: { $0.octahedron != nil }) {
      out += ["<h3>Fitted trans angle</h3>", "<div class=\"scroll\"><table class=\"data\">"]
      out.append(Self.headerRow([
        ("Sample", false), ("Trans angle<br>± u (°)", true), ("One-sigma<br>interval (°)", true), ("Scans<br>(sd, s.e.)", true),
        ("Change vs<br>reference (°)", true), ("Combined<br>σ (°)", true), ("Significance", true), ("Judged<br>with", false),
      ]))
      out.append("<tbody>")
      for r in rows {
        guard let o = r.octahedron else {
          out.append("<tr><td>\(HTML.escape(r.name))</td><td colspan=\"7\" class=\"muted\">not fitted</td></tr>")
          continue
        }
        let angle = HTML.number(o.transAngle, "%.2f") + " ± " + (o.uncertainty.map { HTML.number($0, "%.2f") } ?? "not estimable")
        let interval = o.interval.flatMap { $0.count == 2 ? "\(HTML.number($0[0], "%.2f")) … \(HTML.number($0[1], "%.2f"))" : nil } ?? "–"
        let scans = o.scans.count >= 2
          ? "\(o.scans.count) (\(HTML.number(o.scans.standardDeviation, "%.2f")), \(HTML.number(o.scans.standardError, "%.2f")))" : "1"
        var cells = ["<span class=\"badge ref\">reference</span>", "–", "–", "–"]
        if let ch = o.change {
          let sig = ch.inSigma.map { v in
            HTML.number(v, "%.1f") + " σ" + (ch.significant == true ? " <span class=\"badge bad\">&gt; 2σ</span>" : "")
          } ?? "<span class=\"muted\">\(HTML.escape(ch.note ?? "not estimable"))</span>"
          cells = [
            HTML.number(ch.change, "%+.2f"), ch.combinedUncertainty.map { HTML.number($0, "%.2f") } ?? "not estimable", sig,
            ch.basis == .noise ? "χ² profile" : HTML.escape(ch.basis.rawValue),
          ]
        } else if !r.isReference {
          cells = ["–", "–", "–", "–"]
        }
        out.append(
          "<tr\(r.isReference ? " class=\"reference\"" : "")><td>\(HTML.escape(r.name))</td><td class=\"num\">\(angle)</td>"
            + "<td class=\"num\">\(interval)</td><td class=\"num\">\(scans)</td><td class=\"num\">\(cells[0])</td>"
            + "<td class=\"num\">\(cells[1])</td><td class=\"num\">\(cells[2])</td><td>\(cells[3])</td></tr>")
      }
      out += ["</tbody>", "</table></div>"]
    }
    return out
  }

  // MARK: One spectrum

  /// The section of one spectrum: metrics, warnings and notes, figures, files, parameters, metadata.
  func spectrumSection(_ e: ReportEntry, index: Int, lazy: Bool) -> [String] {
    let id = Self.anchor(index)
    let role = comparison?.reference == e.name ? " <span class=\"badge ref\">reference</span>" : ""
    var out = [
      "<section class=\"card spectrum\(e.status == .failed ? " failed" : "")\" id=\"\(id)\">",
      "<h2><a class=\"anchor\" href=\"#\(id)\">\(HTML.escape(e.name))</a>\(role)"
        + "<a class=\"top\" href=\"#top\">top ↑</a></h2>",
      "<p class=\"muted source\">\(HTML.escape(e.source))</p>",
    ]
    if e.status == .failed {
      out.append("<div class=\"message error\"><strong>Not processed.</strong> \(HTML.escape(e.message ?? ""))</div>")
      out.append("</section>")
      return out
    }
    out += metrics(e)
    if !e.warnings.isEmpty {
      out.append("<div class=\"message warning\"><strong>Warnings</strong><ul>"
        + e.warnings.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></div>")
    }
    if !e.notes.isEmpty {
      out.append("<ul class=\"notes\">" + e.notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>")
    }
    if !e.images.isEmpty {
      out.append("<div class=\"grid two\">")
      out += e.images.map { figure($0, caption: e.caption($0), lazy: lazy) }
      out.append("</div>")
    }
    if !e.dataFiles.isEmpty {
      out.append("<p class=\"files\"><span class=\"muted\">Data files:</span> "
        + fileLinks(e.dataFiles, title: e.caption) + "</p>")
    }
    out += details("Parameters used", rows: e.parameters.map { [$0.name, $0.value, $0.source] }, header: ["name", "value", "source"])
    out += details("Metadata", rows: e.metadata.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }, header: ["field", "value"])
    out.append("</section>")
    return out
  }

  /// The metric tiles of a spectrum.
  func metrics(_ e: ReportEntry) -> [String] {
    var tiles: [(String, String)] = []
    if e.kind != "chi" {
      tiles += [("E0", "\(HTML.number(e.e0, "%.2f")) eV"), ("Edge step", HTML.number(e.edgeStep, "%.4g"))]
    }
    tiles += [
      ("k max of data", "\(HTML.number(e.kmax, "%.2f")) Å⁻¹"),
      ("1st shell R", "\(HTML.number(e.shellR, "%.3f")) Å"),
      ("1st shell |χ(R)|", HTML.number(e.shellHeight, "%.4g")),
    ]
    if let h = e.hinge {
      tiles.append(("Hinge ratio (wavelet)", HTML.withUncertainty(h.ratio, h.uncertainty, "%.4f")))
      tiles.append(("Hinge ratio (|χ(R)|)", HTML.withUncertainty(h.ftRatio, h.ftUncertainty, "%.4f")))
      tiles.append(("Hinge maximum at", "k \(HTML.number(h.k, "%.2f")) Å⁻¹, R \(HTML.number(h.r, "%.2f")) Å"))
    }
    return ["<dl class=\"metrics\">"] + tiles.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" } + ["</dl>"]
  }

  // MARK: Pieces

  /// A table head from fixed markup (never file content); numeric columns are right-aligned.
  static func headerRow(_ columns: [(markup: String, numeric: Bool)]) -> String {
    "<thead><tr>" + columns.map { "<th\($0.numeric ? " class=\"num\"" : "")>\($0.markup)</th>" }.joined() + "</tr></thead>"
  }

  /// A figure: the image (linked to itself, full size) and its caption; PDF figures as a link.
  func figure(_ file: String, caption: String, lazy: Bool) -> String {
    let href = HTML.link(file)
    let text = HTML.escape(caption)
    guard HTML.isInlineImage(file) else {
      return "<figure class=\"pdf\"><a href=\"\(href)\">\(HTML.escape(file))</a><figcaption>\(text)</figcaption></figure>"
    }
    return "<figure><a href=\"\(href)\"><img src=\"\(href)\" alt=\"\(text)\"\(lazy ? " loading=\"lazy\"" : "")></a>"
      + "<figcaption>\(text) <span class=\"muted\">(\(HTML.escape(file)))</span></figcaption></figure>"
  }

  /// Links to files, separated by spaces.
  func fileLinks(_ files: [String], title: ((String) -> String)? = nil) -> String {
    files.map { file in
      let t = title.map { " title=\"\(HTML.escape($0(file)))\"" } ?? ""
      return "<a class=\"file\" href=\"\(HTML.link(file))\"\(t)>\(HTML.escape(file))</a>"
    }.joined(separator: " ")
  }

  /// A collapsed table (parameters, metadata); nothing when there are no rows.
  func details(_ summary: String, rows: [[String]], header: [String]) -> [String] {
    guard !rows.isEmpty else { return [] }
    return [
      "<details><summary>\(HTML.escape(summary)) (\(rows.count))</summary>",
      "<table class=\"data compact\"><thead><tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>",
    ] + rows.map { "<tr>" + $0.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>" } + ["</tbody></table></details>"]
  }
}
