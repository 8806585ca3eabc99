// Tests of the HTML report without a browser: escaping of file content, relative links, every
// referenced file written, summary table anchors, atomic write.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct HTMLReportTests {
  static let script = "<script>alert(1)</script>"

  /// A fresh empty folder.
  func folder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }

  /// Processes a simulated TaCl6 scan with figures and hinge metrics, renamed to `name`, writes its
  /// files to `dir` and returns its report entry.
  func processedEntry(name: String, in dir: String, metadata: [String: String] = [:]) throws -> ReportEntry {
    let path = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat").path
    let input = try #require(try SpectrumReader.read(path: path).first)
    var settings = try ProcessingSettings.resolve(stored: [:], given: [:])
    var hinge = try #require(HingeParameters.preset("tacl6"))
    hinge.realizations = 3
    settings.hinge = hinge
    settings.wavelet = WaveletParameters()
    var result = try process(input, settings: settings)
    result.name = name
    result.metadata.merge(metadata) { _, new in new }
    result.warnings.append("check the window: \(Self.script)")
    let files = try result.outputFiles() + result.plotFiles(PlotOptions(lineplots: true))
    for file in files { try AtomicWriter.write(file.contents, to: "\(dir)/\(file.name)") }
    return ReportEntry(SpectrumOutcome(record: result.record, files: files.map(\.name)))
  }

  /// Values of `attribute="..."` in the page, percent-decoded (as the browser resolves them).
  func attributeValues(_ attribute: String, in html: String) -> [String] {
    html.components(separatedBy: " \(attribute)=\"").dropFirst().compactMap { part in
      part.split(separator: "\"", maxSplits: 1).first.map(String.init)?.removingPercentEncoding
    }
  }

  @Test func maliciousSpectrumNameMetadataAndWarningsAreEscaped() throws {
    let dir = try folder()
    // File names cannot hold "/", so the processed spectrum carries the slash-free attack; the
    // failed entry (whose name is never a file) carries the full script tag.
    let evilName = "<img src=x onerror=alert(1)>"
    let entry = try processedEntry(
      name: evilName, in: dir, metadata: ["Sample.name": "\"><script>alert(2)</script>", "<b>key": "a & b"])
    let failed = ReportEntry(failed: Self.script, source: "/data/\(Self.script).dat", message: "bad line: \(Self.script)")
    let report = HTMLReport.batch(entries: [entry, failed])
    let path = try report.write(toFolder: dir)
    let html = try String(contentsOfFile: path, encoding: .utf8)

    #expect(!html.contains("<script"))
    #expect(!html.contains("<img src=x"))
    #expect(!html.contains("<b>key"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
    #expect(html.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"))
    #expect(html.contains("a &amp; b"))
    // The only tags are ours: every "<" starts a known element.
    let tags = Set(html.components(separatedBy: "<").dropFirst().compactMap { part -> String? in
      let name = part.prefix { $0.isLetter || $0.isNumber || $0 == "!" || $0 == "/" }
      return name.isEmpty ? nil : String(name).lowercased().replacingOccurrences(of: "/", with: "")
    })
    let allowed: Set<String> = [
      "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "main", "section",
      "div", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "br", "dl", "dt", "dd", "ul", "li", "strong",
      "figure", "img", "figcaption", "details", "summary", "footer",
    ]
    #expect(tags.isSubset(of: allowed), "unexpected tags \(tags.subtracting(allowed))")
    // A Content-Security-Policy forbids scripts even if something slipped through.
    #expect(html.contains("Content-Security-Policy"))
    #expect(html.contains("default-src 'none'"))
  }

  @Test func everyReferencedImageAndFileExists() throws {
    let dir = try folder()
    let entry = try processedEntry(name: "tacl6 bend #00?", in: dir)
    let report = HTMLReport.batch(entries: [entry])
    try report.write(toFolder: dir)
    let html = try String(contentsOfFile: "\(dir)/index.html", encoding: .utf8)
    #expect(report.missingFiles(in: dir).isEmpty)
    #expect(
      entry.images == [
        "tacl6 bend #00?.mu.png", "tacl6 bend #00?.chik.png", "tacl6 bend #00?.kweights.png", "tacl6 bend #00?.chir.png",
        "tacl6 bend #00?.wavelet.png",
      ])
    #expect(entry.dataFiles.contains("tacl6 bend #00?.json"))
    let sources = attributeValues("src", in: html)
    #expect(sources.count == 5)
    // "#" and "?" are percent-encoded, so the browser asks for the file and not a fragment or query.
    #expect(html.contains("src=\"tacl6%20bend%20%2300%3F.mu.png\""))
    let links = attributeValues("href", in: html).filter { !$0.hasPrefix("#") && $0 != "summary.csv" }
    #expect(links.count >= 8)
    for file in sources + links {
      #expect(!file.hasPrefix("/") && !file.contains(":"), "\(file) is not relative")
      #expect(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "\(file) missing")
    }
    #expect(!listing(dir).contains { $0.hasPrefix(".") }, "temporary file left behind")
  }

  @Test func summaryTableLinksEverySpectrumToItsSection() throws {
    let entries = (1...30).map { i in
      ReportEntry(failed: "scan_\(i)", source: "scans/scan_\(i).dat", message: "unreadable")
    }
    let html = HTMLReport.batch(entries: entries).html()
    for i in 1...30 {
      #expect(html.contains("<a href=\"#spectrum-\(i)\">scan_\(i)</a>"))
      #expect(html.contains("id=\"spectrum-\(i)\""))
    }
    #expect(html.contains("0 processed, 30 failed"))
    #expect(!html.contains("Hinge ratio"), "no hinge column when no spectrum has hinge metrics")
  }

  @Test func comparisonTableShowsChangeAndSignificance() throws {
    let rows = [
      ComparisonRow(name: "pristine", isReference: true, e0: 9880.5, hingeRatio: 0.40, hingeUncertainty: 0.002),
      ComparisonRow(
        name: "bent", isReference: false, e0: 9881, hingeRatio: 0.23, hingeUncertainty: 0.002, relativeChange: -0.425,
        changeInSigma: 60.1, significant: true),
    ]
    let c = ComparisonReport(
      reference: "pristine", others: ["bent"], rows: rows, notes: ["same parameters"],
      figures: ["overlay-chir.png", "wavelet-bent-vs-pristine.png"], dataFiles: ["comparison.csv"])
    let html = HTMLReport.comparison(c, entries: []).html()
    #expect(html.contains("Hinge ratio<br>± u"))
    #expect(html.contains("0.4000 ± 0.0020"))
    #expect(html.contains("-42.5 % (60.1 σ)"))
    #expect(html.contains("<span class=\"badge bad\">yes</span>"))
    #expect(html.contains("Wavelet maps of pristine and bent on one colour scale"))
  }

  @Test func tinyUncertaintyIsNotPrintedAsZero() {
    #expect(HTML.withUncertainty(0.3912, 2.3e-5, "%.4f") == "0.3912 ± 2.3e-05")
    #expect(HTML.withUncertainty(0.3912, 0, "%.4f") == "0.3912")
    #expect(HTML.withUncertainty(nil, 0.1, "%.4f") == "–")
    #expect(HTML.number(.infinity, "%.1f") == "∞")
  }

  @Test func linksArePercentEncodedRelativePaths() {
    #expect(HTML.link("javascript:alert(1)") == "javascript%3Aalert%281%29")
    #expect(HTML.link("a b/c#d?.png") == "a%20b/c%23d%3F.png")
    #expect(HTML.link("Ta–L3.png") == "Ta%E2%80%93L3.png")
    #expect(HTML.escape("a\u{0}b'\"") == "a\u{FFFD}b&#39;&quot;")
  }

  /// Names of the files in a folder, hidden files included.
  func listing(_ dir: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
  }
}
