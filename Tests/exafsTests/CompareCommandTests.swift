// End-to-end tests of `exafs compare` on the bundled simulated TaCl6 scans.
import Foundation
import Testing

struct CompareCommandTests {
  @Test func spectrumComparedWithItselfShowsNoChange() throws {
    let out = try temporaryFolder()
    let file = "SampleSpectra/simulated/tacl6_bend10_sim_transmission.dat"
    let run = try runExafs(["compare", file, file, "--hinge", "tacl6", "--realizations", "10", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let stem = "tacl6_bend10_sim_transmission_2-minus-tacl6_bend10_sim_transmission"
    for ext in ["nor.diff", "chik.diff", "chir.diff"] {
      let diff = try readColumns(out.appendingPathComponent("\(stem).\(ext)"))
      #expect(diff.names.last == "diff")
      #expect(diff.rows.count > 100)
      #expect(diff.rows.allSatisfy { $0.last == 0 })
    }
    let map = try readColumns(out.appendingPathComponent("\(stem).wavelet"))
    #expect(map.rows.dropFirst().allSatisfy { $0.dropFirst().allSatisfy { $0 == 0 } })
    let csv = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[2].hasSuffix(",0,0,no"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("comparison.md").path))
  }

  @Test func bentOctahedronIsSignificantlyLessFocused() throws {
    let out = try temporaryFolder()
    let run = try runExafs([
      "compare", "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat",
      "SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat", "--hinge", "tacl6", "--realizations", "10",
      "-o", out.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let csv = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
    let fields = csv.split(separator: "\n")[2].split(separator: ",", omittingEmptySubsequences: false)
    // hinge ratio column 7, relative change column 9, significant column 11.
    let change = try #require(Double(fields[8]))
    #expect(change < -0.3 && change > -0.55)
    #expect(fields[10] == "yes")
  }

  @Test func compareNeedsTwoInputs() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["compare", "SampleSpectra/cu_metal_rt.xdi", "-o", out.path])
    #expect(run.status == 64)
  }
}
