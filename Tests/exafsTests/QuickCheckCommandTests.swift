// The quiet mistakes of issue 17 made loud: inverted mu(E), skipped subfolders, edges that differ, Larch's Cauchy R grid.
import Foundation
import Testing

struct QuickCheckCommandTests {
  @Test func invertedMuIsWarned() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(itrans/i0)", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("far below 1"), "\(run.stderr)")
    let summary = try String(contentsOf: out.appendingPathComponent("cu_metal_rt.json"), encoding: .utf8)
    #expect(summary.contains("mu(E) inverted"))
    // The same file the right way round raises no such warning.
    let right = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "-o", try temporaryFolder().path])
    #expect(!right.stderr.contains("far below 1") && !right.stderr.contains("edge step is negative"), "\(right.stderr)")
  }

  @Test func processOfAFolderNamesTheSubfoldersItSkips() throws {
    let folder = try temporaryFolder()
    let nested = folder.appendingPathComponent("more scans")
    try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("SampleSpectra/cu_metal_rt.xdi"), to: folder.appendingPathComponent("cu.xdi"))
    let run = try runExafs(["process", folder.path, "-o", try temporaryFolder().path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("1 subfolder(s) not searched (more scans)"), "\(run.stderr)")
  }

  @Test func compareAcrossEdgesWarns() throws {
    let run = try runExafs(
      ["compare", "SampleSpectra/cu_metal_rt.xdi", "SampleSpectra/Fe_metal_rt_01.xdi", "-o", try temporaryFolder().path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("not the same absorption edge"), "\(run.stderr)")
  }

  @Test func cauchyMapReachesTenAngstromByDefault() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--wavelet", "cauchy", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let data = try Data(contentsOf: out.appendingPathComponent("cu_metal_rt.json"))
    let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let wavelet = try #require(summary["wavelet"] as? [String: Any], "no wavelet parameters in the summary")
    #expect(wavelet["rmax"] as? Double == 10, "Larch's cauchy_wavelet default rmax_out")
    let morlet = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--wavelet", "morlet", "-o", out.path])
    #expect(morlet.status == 0)
    let m = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("cu_metal_rt.json"))) as? [String: Any])
    #expect((m["wavelet"] as? [String: Any])?["rmax"] as? Double == 6, "Morlet keeps its default")
  }
}
