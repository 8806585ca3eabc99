// Series (issue 16): time stamps from XDI and beamline headers, series.csv against NAME.json,
// input order, failed spectra, summary.csv read back, trans angles, the automatic rule.
import Foundation
import Testing

@testable import EXAFSKit

/// The real Cu foil scan with its Scan.start_time line replaced by `start` (or removed when nil).
private func cuScan(start: String?) throws -> String {
  let text = try String(contentsOf: repositoryRoot().appendingPathComponent("SampleSpectra/cu_metal_rt.xdi"), encoding: .utf8)
  let original = "# Scan.start_time: 2001-06-26T22:27:31\n"
  #expect(text.contains(original))
  return text.replacingOccurrences(of: original, with: start.map { "# Scan.start_time: \($0)\n" } ?? "")
}

/// The metadata of a spectrum read from a file.
private func metadata(_ input: SpectrumInput) -> [String: String] {
  switch input {
  case .mu(let s): return s.metadata
  case .chi(let c): return c.metadata
  }
}

/// Runs a batch over `files` into a fresh folder with `series` set; returns the summary and folder.
private func runBatch(_ files: [String], series: Bool? = true, jobs: Int = 2) throws -> (BatchSummary, String) {
  let out = try IOTestSupport.temporaryDirectory()
  var c = BatchConfiguration(outdir: out)
  c.series = series
  c.jobs = jobs
  return (Batch(files: files, configuration: c).run(), out)
}

/// series.csv split into rows of fields (header first). Only the message, the last column, may
/// hold quoted commas; the fields before it are split on commas.
private func seriesFields(_ folder: String) throws -> [[String]] {
  let text = try String(contentsOfFile: folder + "/series.csv", encoding: .utf8)
  let columns = SeriesTable.csvHeader.split(separator: ",").count
  return text.split(separator: "\n").map { line in
    line.split(separator: ",", maxSplits: columns - 1, omittingEmptySubsequences: false).map(String.init)
  }
}

struct ScanTimeTests {
  @Test func iso8601FormsOfXDIParse() throws {
    let t = try #require(ScanTime(iso8601: "2023-05-28T16:44:06"))
    #expect(t.year == 2023 && t.month == 5 && t.day == 28 && t.hour == 16 && t.minute == 44 && t.second == 6 && t.utcOffset == nil)
    // A blank instead of T (the XAS Data Library's W files), fractions, Z and offsets.
    #expect(ScanTime(iso8601: "2008-04-12 04:02:44")?.iso8601 == "2008-04-12T04:02:44")
    #expect(ScanTime(iso8601: "2026-03-01T10:00:00.25")?.second == 0.25)
    #expect(ScanTime(iso8601: "2026-03-01T10:00:00Z")?.utcOffset == 0)
    #expect(ScanTime(iso8601: "2026-03-01T10:00:00+02:00")?.utcOffset == 7200)
    #expect(ScanTime(iso8601: "2026-03-01T10:00:00-0530")?.utcOffset == -19800)
    #expect(ScanTime(iso8601: "2026-03-01T10:00")?.second == 0)
    #expect(ScanTime(iso8601: "2026-03-01T10:00:00-0530")?.iso8601 == "2026-03-01T10:00:00-05:30")
    #expect(ScanTime(iso8601: "2026-03-01 10:00:07.125Z")?.iso8601 == "2026-03-01T10:00:07.125Z")
    // Not times: no time of day, impossible dates, trailing text.
    for bad in ["2026-03-01", "2026-02-30T10:00:00", "2026-13-01T10:00:00", "2026-03-01T24:00:00", "2026-03-01T10:00:00 x", "yesterday"] {
      #expect(ScanTime(iso8601: bad) == nil, "\(bad)")
    }
  }

  @Test func elapsedSecondsCrossMidnightLeapDaysAndZones() throws {
    func s(_ text: String) throws -> Double { try #require(ScanTime(iso8601: text)).secondsSinceEpoch }
    #expect(try s("1970-01-01T00:00:00Z") == 0)
    #expect(try s("2000-03-01T00:00:00Z") == 951_868_800)  // POSIX time of 2000-03-01 (date -u -d ... +%s)
    #expect(try s("2026-03-02T00:01:00.5") - s("2026-03-01T23:59:30") == 90.5)
    #expect(try s("2024-03-01T01:00:00") - s("2024-02-28T23:00:00") == 26 * 3600)  // 2024 is a leap year
    #expect(try s("2023-03-01T01:00:00") - s("2023-02-28T23:00:00") == 2 * 3600)
    #expect(try s("2026-03-01T12:00:00+02:00") == s("2026-03-01T10:00:00Z"))
  }

  @Test func headerLinesOfBeamlineProgramsParse() {
    // The forms of XDAC (NSLS X-11B, X-23A2), APS LabVIEW, MRCAT / CLS (ctime) and SPEC #D.
    let cases: [(String, String)] = [
      ("\"pt.002\" created on 7/21/04 at 5:50:14 PM on X-11B", "2004-07-21T17:50:14"),
      ("\"x.001\" created on 12/1/99 at 12:05:00 AM on X-23A2", "1999-12-01T00:05:00"),
      ("1-D Scan File created by LabVIEW Control Panel  7/7/2022  2:33:33 PM; Scan time 0 hrs 12 min 60 sec.", "2022-07-07T14:33:33"),
      ("\"fegoe.020\" created at APS Sector 10-ID on Tue Mar  8 23:02:46 2005", "2005-03-08T23:02:46"),
      ("Thu Mar  1 11:48:45 2012", "2012-03-01T11:48:45"),
      ("#D Sat Jan 14 09:03:07 2017", "2017-01-14T09:03:07"),
      ("Date: 2023-05-28 16:44:06", "2023-05-28T16:44:06"),
      ("13/1/2022 10:00:00", ""),  // month 13: not a date
    ]
    for (line, iso) in cases {
      #expect((ScanTime(headerLine: line)?.iso8601 ?? "") == iso, "\(line)")
    }
    for line in ["E0= 17998.00", "Scan bounds:  -100.00 -25.00 100.00", "Preslit: 4.105/3.907  Pre_KB: 1.394/1.002", "ratio 1/2/3 at 4:5"] {
      #expect(ScanTime(headerLine: line) == nil, "\(line)")
    }
  }

  /// The real beamline files: the times their first header lines state (read by eye), kept as
  /// `header.timestamp`; the three MRCAT scans are a real series (elapsed from lepidocrocite).
  @Test(.enabled(if: RealData.available, RealData.absent))
  func realBeamlineHeadersGiveTheirTimes() throws {
    let expected: [(String, String, String?)] = [
      ("beamline-formats/pt.stan", "2004-07-21T17:50:14", "ln($2/$3)"),
      ("beamline-formats/x23a2med.dat", "2011-06-27T14:22:40", "($4+$5+$6+$7)/$2"),
      ("beamline-formats/APS20ID_2022.dat", "2022-07-07T14:33:33", "$11/$7"),
      ("beamline-formats/ORP5.000", "2012-03-01T11:48:45", "ln($6/$7)"),
      ("beamline-formats/MRCAT_10ID_qexafs/goethite.stan", "2005-03-08T23:02:46", "ln(mcs3/mcs4)"),
      ("beamline-formats/MRCAT_10ID_qexafs/hematite.stan", "2005-03-09T00:41:08", "ln(mcs3/mcs4)"),
      ("beamline-formats/MRCAT_10ID_qexafs/lepidocrocite.stan", "2005-03-08T20:15:17", "ln(mcs3/mcs4)"),
    ]
    for (file, iso, mu) in expected {
      var options = ReadOptions()
      options.mu = mu
      if file.hasSuffix("ORP5.000") { options.energyColumn = "3" }
      if file.hasSuffix("APS20ID_2022.dat") { options.energyColumn = "1" }
      let input = try SpectrumReader.read(path: RealData.root.appendingPathComponent(file).path, options: options)[0]
      #expect(metadata(input)[ScanTime.headerField] == iso, "\(file)")
    }
    // An XDI file keeps its own Scan.start_time and gets no header.timestamp.
    let xdi = try SpectrumReader.read(path: RealData.root.appendingPathComponent("l3-neighbours/Pt-L3-PlatinumFoil.xdi").path)[0]
    #expect(metadata(xdi)[ScanTime.headerField] == nil)
    #expect(ScanTime.from(metadata: metadata(xdi))?.time.iso8601 == "2023-05-28T18:57:11")

    var c = BatchConfiguration(outdir: try IOTestSupport.temporaryDirectory())
    c.readOptions.mu = "ln(mcs3/mcs4)"
    c.series = true
    let files = RealData.files("beamline-formats/MRCAT_10ID_qexafs", suffix: ".stan")
    let summary = Batch(files: files, configuration: c).run()
    let series = try #require(summary.series)
    #expect(series.axis == .elapsed)
    // goethite 23:02:46 and hematite 00:41:08 (next day) after lepidocrocite 20:15:17.
    #expect(series.rows.map(\.elapsed) == [10_049, 15_951, 0])
    #expect(series.rows.map(\.timeField) == Array(repeating: ScanTime.headerField, count: 3))
  }
}

struct SeriesTableTests {
  /// Four XDI files written here with known start times (across midnight, with a fraction), one
  /// broken file, given out of alphabetical order: series.csv keeps input order, elapsed seconds
  /// are exact, every value equals NAME.json's, the failed file is a row with empty values.
  @Test func seriesCSVMatchesTheRecordsAndTheGivenTimes() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    let starts = ["c_scan": "2026-03-01T23:59:30", "a_scan": "2026-03-02T00:01:00.5", "d_scan": "2026-03-02 00:30:00", "b_scan": "2026-03-01T23:58:00"]
    let order = ["c_scan", "a_scan", "broken", "d_scan", "b_scan"]
    var files: [String] = []
    for name in order {
      let path = dir + "/\(name).xdi"
      let text = name == "broken" ? "# XDI/1.0\n# Column.1: energy eV\n#----\n# energy mu\n1 x\n" : try cuScan(start: starts[name])
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      files.append(path)
    }
    let (summary, out) = try runBatch(files)
    let series = try #require(summary.series)
    #expect(summary.seriesPaths == [out + "/series.csv"])
    // A file that cannot be read is named by its file name (as in summary.csv).
    #expect(series.rows.map(\.name) == ["c_scan", "a_scan", "broken.xdi", "d_scan", "b_scan"])
    #expect(series.rows.map(\.index) == [1, 2, 3, 4, 5])
    // Earliest is b_scan, 23:58:00: c +90 s, a +180.5 s, d +1920 s.
    #expect(series.rows.map(\.elapsed) == [90, 180.5, nil, 1920, 0])
    #expect(series.axis == .elapsed)

    let fields = try seriesFields(out)
    #expect(fields[0].joined(separator: ",") == SeriesTable.csvHeader)
    let header = fields[0]
    func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
    #expect(fields.count == 6)
    for row in fields.dropFirst() {
      let name = row[try column("name")]
      if name == "broken.xdi" {
        #expect(row[try column("status")] == "failed")
        for empty in ["timestamp", "elapsed_s", "e0", "edge_step", "first_shell_r", "first_shell_mag", "hinge_ratio"] {
          #expect(row[try column(empty)].isEmpty, "\(empty)")
        }
        #expect(row[try column("message")].contains("broken.xdi"))
        continue
      }
      let record = try #require(SpectrumRecord(jsonFile: out + "/\(name).json"))
      #expect(row[try column("status")] == "ok")
      #expect(Double(row[try column("e0")]) == record.e0)
      #expect(Double(row[try column("edge_step")]) == record.edgeStep)
      #expect(Double(row[try column("first_shell_r")]) == record.firstShell?.r)
      #expect(Double(row[try column("first_shell_mag")]) == record.firstShell?.mag)
      #expect(row[try column("hinge_ratio")].isEmpty)  // no hinge metrics asked for
      #expect(row[try column("time_field")] == "Scan.start_time")
      #expect(try #require(ScanTime(iso8601: row[try column("timestamp")])) == ScanTime(iso8601: try #require(starts[name])))
    }
    // Real numbers: the Cu foil's e0 (Larch's pre_edge on this scan: 8980.5 eV, fixture cu_metal_rt).
    #expect(series.rows[0].e0 == 8980.5)
  }

  @Test func hingeRatioAndItsUncertaintyComeFromTheRecord() throws {
    let dat = repositoryRoot().appendingPathComponent("SampleSpectra/simulated").path
    let files = ["tacl6_bend00", "tacl6_bend30"].map { "\(dat)/\($0)_sim_transmission.dat" }
    let out = try IOTestSupport.temporaryDirectory()
    var c = BatchConfiguration(outdir: out)
    c.series = true
    c.hinge = try #require(HingeParameters.preset("tacl6"))
    let summary = Batch(files: files, configuration: c).run()
    let series = try #require(summary.series)
    #expect(series.axis == .index)  // the simulated scans carry no time
    #expect(series.notes.first?.contains("no spectrum has a time stamp") == true)
    for row in series.rows {
      let hinge = try #require(SpectrumRecord(jsonFile: out + "/\(row.name).json")?.hinge)
      #expect(row.hingeRatio == hinge.ratio)
      #expect(row.hingeUncertainty == hinge.uncertainty)
      #expect(hinge.uncertainty > 0)
    }
    // The ratio falls with the bend (Docs/hinge-metrics.md); measured 0.40 straight, 0.155 at 30 degrees.
    #expect(try #require(series.rows[0].hingeRatio) > 2 * (try #require(series.rows[1].hingeRatio)))
  }

  @Test func summaryCSVReadsBackToTheSameSeries() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    var files: [String] = []
    for (i, start) in ["2026-03-01T10:00:00", nil, "2026-03-01T10:03:00"].enumerated() {
      let path = dir + "/scan\(i).xdi"
      try cuScan(start: start).write(toFile: path, atomically: true, encoding: .utf8)
      files.append(path)
    }
    let (summary, out) = try runBatch(files)
    let series = try #require(summary.series)
    #expect(series.axis == .index)  // scan1 has no time
    #expect(series.notes.first == "x axis: scan index (1 of 3 processed spectra have no time stamp)")
    let csv = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
    // With the records of the folder: the same table, exact values and times.
    let back = try SeriesTable(summaryCSV: csv, file: "summary.csv") { SpectrumRecord(jsonFile: out + "/\($0).json") }
    #expect(back == series)
    // Two shards joined under one header (the second header line is skipped), without records:
    // values to summary.csv's 6 significant digits, no times.
    let lines = csv.split(separator: "\n")
    let joined = ([lines[0], lines[1], lines[0]] + lines[2...]).joined(separator: "\n") + "\n"
    let bare = try SeriesTable(summaryCSV: joined, file: "all.csv")
    #expect(bare.rows.map(\.name) == ["scan0", "scan1", "scan2"])
    #expect(bare.rows.map(\.index) == [1, 2, 3])
    for (a, b) in zip(bare.rows, series.rows) {
      #expect(a.time == nil)
      #expect(abs((a.e0 ?? 0) - (b.e0 ?? 1)) <= 5e-6 * (b.e0 ?? 1))
      #expect(abs((a.edgeStep ?? 0) - (b.edgeStep ?? 1)) <= 5e-6 * (b.edgeStep ?? 1))
    }
    // A malformed summary names the line.
    #expect(throws: EXAFSError.malformed(SourceLocation(file: "x.csv", line: 2), "3 fields, the header has 11")) {
      try SeriesTable(summaryCSV: SpectrumRecord.csvHeader + "\na,b,c\n", file: "x.csv")
    }
    #expect(throws: EXAFSError.self) { try SeriesTable(summaryCSV: "name,e0\nx,1\n", file: "x.csv") }
  }

  @Test func transAnglesComeFromOctahedronFiles() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    try #"{"trans_angle": {"value": 171.25, "uncertainty": 1.5, "method": "chi-square profile"}, "source": "x"}"#
      .write(toFile: dir + "/s2.octahedron.json", atomically: true, encoding: .utf8)
    try #"{"trans_angle": {"value": 165}}"#.write(toFile: dir + "/s3.octahedron.json", atomically: true, encoding: .utf8)
    try "not json".write(toFile: dir + "/s1.octahedron.json", atomically: true, encoding: .utf8)
    var table = SeriesTable(rows: ["s1", "s2", "s3"].enumerated().map { i, name in
      var row = SeriesRow(index: i + 1, failed: name, source: name, message: "")
      row.status = .ok
      return row
    })
    #expect(table.addTransAngles(fromFolder: dir) == 2)
    #expect(table.rows.map(\.transAngle) == [nil, 171.25, 165])
    #expect(table.rows.map(\.transAngleUncertainty) == [nil, 1.5, nil])
    #expect(table.csv().contains("\n2,s2,s2,ok,,,,,,,,,,171.25,1.5,\n"))
  }

  @Test func seriesIsAutomaticOnlyWithAReportOfSixOrMore() throws {
    #expect(SeriesTable.isWritten(option: nil, report: true, spectra: 6))
    #expect(!SeriesTable.isWritten(option: nil, report: true, spectra: 5))
    #expect(!SeriesTable.isWritten(option: nil, report: false, spectra: 1000))
    #expect(SeriesTable.isWritten(option: true, report: false, spectra: 1))
    #expect(!SeriesTable.isWritten(option: false, report: true, spectra: 1000))
    // The lean path keeps neither records nor series rows and writes no series.csv.
    let cu = repositoryRoot().appendingPathComponent("SampleSpectra/cu_metal_rt.xdi").path
    let (lean, out) = try runBatch([cu], series: nil)
    #expect(lean.series == nil && lean.outcomes[0].record == nil && lean.outcomes[0].seriesRow == nil)
    #expect(!FileManager.default.fileExists(atPath: out + "/series.csv"))
    // --series without a report keeps only the series row.
    let (asked, _) = try runBatch([cu], series: true)
    #expect(asked.outcomes[0].record == nil && asked.outcomes[0].seriesRow?.e0 == 8980.5)
  }

  @Test func aStaleSeriesOfOursIsRemovedBeforeARun() throws {
    let cu = repositoryRoot().appendingPathComponent("SampleSpectra/cu_metal_rt.xdi").path
    let (_, out) = try runBatch([cu], series: true)
    try Data([0x89, 0x50]).write(to: URL(fileURLWithPath: out + "/series.png"))
    var c = BatchConfiguration(outdir: out)
    c.series = false
    let summary = Batch(files: [cu], configuration: c).run()
    #expect(summary.removedStale.contains("series.csv") && summary.removedStale.contains("series.png"))
    #expect(!FileManager.default.fileExists(atPath: out + "/series.csv"))
    // A series.csv that is not ours stays.
    try "index,name\n1,x\n".write(toFile: out + "/series.csv", atomically: true, encoding: .utf8)
    _ = Batch(files: [cu], configuration: c).run()
    #expect(FileManager.default.fileExists(atPath: out + "/series.csv"))
  }
}
