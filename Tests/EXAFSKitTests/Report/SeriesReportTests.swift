// The "Series" card of the HTML report (issue 16): axis note, bars explained, figure linked, table
// of every spectrum for short series only; the batch report of `exafs process` shows it.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct SeriesReportTests {
  func rows(_ n: Int) -> [SeriesRow] {
    (1...n).map { i in
      var row = SeriesRow(index: i, failed: "s<\(i)>", source: "s\(i).xdi", message: "")
      row.status = .ok
      row.e0 = 9881
      row.hingeRatio = 0.25
      row.hingeUncertainty = 0.0125
      return row
    }
  }

  @Test func seriesCardShowsTheFigureNotesAndTable() throws {
    var all = rows(3)
    all.append(SeriesRow(index: 4, failed: "bad", source: "bad.xdi", message: "no data <rows>"))
    let table = SeriesTable(rows: all)
    let section = table.reportSection(figure: "series.png")
    #expect(section.title == "Series")
    #expect(section.figures.map(\.file) == ["series.png"])
    #expect(section.paragraphs.first == "X axis: scan index (no spectrum has a time stamp: XDI Scan.start_time or a beamline header date).")
    let t = try #require(section.tables.first)
    #expect(t.rows.count == 4)
    #expect(t.rows[0][7] == "0.25 ± 0.013")  // %.4g ± %.2g
    #expect(t.rows[3].last == "failed: no data <rows>")
    var page = HTMLReport.batch(entries: [])
    page.sections = [section]
    let html = page.html()
    #expect(html.contains("<h2><a class=\"anchor\" href=\"#section-1\">Series</a>"))
    #expect(html.contains("<img src=\"series.png\""))
    #expect(html.contains("s&lt;1&gt;") && !html.contains("s<1>"))
    #expect(page.referencedFiles == ["series.png"])
    // A long series: the card has no table and says where the rows are.
    let long = SeriesTable(rows: rows(SeriesTable.reportTableRows + 1)).reportSection(figure: nil)
    #expect(long.tables.isEmpty && long.figures.isEmpty)
    #expect(long.paragraphs.last?.hasSuffix("The table of all 61 spectra is in series.csv.") == true)
  }

  /// A batch of six spectra with a report (as `exafs process --plot` runs it) writes series.csv and
  /// the figure, and its index.html shows the card; every file it links exists.
  @Test func batchReportOfSixSpectraHasTheSeriesCard() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-series-report-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let w = repositoryRoot().appendingPathComponent("SampleSpectra").path
    let files = (1...3).map { "\(w)/W_metal_rt_0\($0).xdi" } + ["\(w)/cu_metal_rt.xdi", "\(w)/Fe_metal_rt_01.xdi", "\(w)/W_metal_rt_scans.prj"]
    var c = BatchConfiguration(outdir: out)
    c.seriesFigures = { table, dir in try table.writeFigure(toFolder: dir).map { [$0] } ?? [] }
    c.report = { outcomes, series, dir in
      var page = HTMLReport.batch(entries: outcomes.map(ReportEntry.init))
      if let series { page.sections.append(series.reportSection(figure: "series.png")) }
      return try page.write(toFolder: dir)
    }
    let summary = Batch(files: files, configuration: c).run()
    #expect(summary.failures.isEmpty)
    let series = try #require(summary.series)  // 8 spectra (the project has 3 groups), a report: automatic
    #expect(series.rows.count == 8)
    #expect(series.axis == .index)  // the project's groups carry no time
    #expect(series.notes.first == "x axis: scan index (3 of 8 processed spectra have no time stamp)")
    #expect(summary.seriesPaths == [out + "/series.csv", out + "/series.png"])
    // The three W scans of 2008-04-12: 04:02:44, 06:43:08, 09:23:32 (their Scan.start_time).
    let start = try #require(series.rows[0].time).secondsSinceEpoch
    #expect(series.rows[1].time.map { $0.secondsSinceEpoch - start } == 9624)
    #expect(series.rows[2].time.map { $0.secondsSinceEpoch - start } == 19248)
    let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
    #expect(html.contains("<img src=\"series.png\""))
    var page = HTMLReport.batch(entries: summary.outcomes.map(ReportEntry.init))
    page.sections.append(series.reportSection(figure: "series.png"))
    #expect(page.missingFiles(in: out).isEmpty)
  }
}
