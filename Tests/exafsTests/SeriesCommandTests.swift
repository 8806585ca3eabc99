// End-to-end tests of `exafs process --series` (issue 16): series.csv and series.png written, the
// automatic series with a report of six or more spectra, --no-series, the line the run prints.
import Foundation
import Testing

struct SeriesCommandTests {
  static let w = (1...3).map { "SampleSpectra/W_metal_rt_0\($0).xdi" }

  @Test func seriesFlagWritesTheTableAndTheFigure() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process"] + Self.w + ["--series", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("series: series.csv, series.png (against time)"), "\(run.stdout)")
    let files = listing(out)
    #expect(files.contains("series.csv") && files.contains("series.png") && !files.contains("index.html"))
    let lines = try String(contentsOf: out.appendingPathComponent("series.csv"), encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4)
    // The three W scans of 2008-04-12 (Scan.start_time 04:02:44, 06:43:08, 09:23:32).
    #expect(lines[1].hasPrefix("1,W_metal_rt_01,SampleSpectra/W_metal_rt_01.xdi,ok,2008-04-12T04:02:44,Scan.start_time,0.0,"))
    #expect(lines[2].hasPrefix("2,W_metal_rt_02,SampleSpectra/W_metal_rt_02.xdi,ok,2008-04-12T06:43:08,Scan.start_time,9624.0,"))
    #expect(lines[3].hasPrefix("3,W_metal_rt_03,SampleSpectra/W_metal_rt_03.xdi,ok,2008-04-12T09:23:32,Scan.start_time,19248.0,"))
    let png = try Data(contentsOf: out.appendingPathComponent("series.png"))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
  }

  @Test func aReportOfSixSpectraHasTheSeriesUnlessTurnedOff() throws {
    let six = Self.w + ["SampleSpectra/cu_metal_rt.xdi", "SampleSpectra/Fe_metal_rt_01.xdi", "SampleSpectra/W_metal_rt_scans.prj"]
    let out = try temporaryFolder()
    let run = try runExafs(["process"] + six + ["--plot", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("series: series.csv, series.png (against scan index)"), "\(run.stdout)")
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains(">Series</a>") && html.contains("<img src=\"series.png\""))
    // --no-series: the same run without it; the previous series.csv and series.png are removed.
    let again = try runExafs(["process"] + six + ["--plot", "--no-series", "-o", out.path])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(!listing(out).contains("series.csv") && !listing(out).contains("series.png"))
    #expect(!(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)).contains(">Series</a>"))
    // Fewer than six spectra with a report: no series.
    let small = try temporaryFolder()
    #expect(try runExafs(["process"] + Self.w + ["--plot", "-o", small.path]).status == 0)
    #expect(!listing(small).contains("series.csv"))
  }
}
