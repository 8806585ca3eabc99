// `exafs compare --sample NAME=SCAN1,SCAN2,...`: the hinge ratio's spread over repeated scans, checked against the per-scan NAME.json values.
import Foundation
import Testing

struct CompareScansCommandTests {
  /// SplitMix64 with Box-Muller: seeded Gaussian numbers, independent of the code under test.
  struct Gaussian {
    var state: UInt64
    mutating func uniform() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992
    }
    mutating func next() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
  }

  /// Writes `count` copies of a simulated transmission scan with relative Gaussian noise `noise`
  /// on I_t (so about `noise` in mu), each with its own seed.
  static func noisyScans(_ source: String, stem: String, count: Int, noise: Double, seed: UInt64, in folder: URL) throws -> [String] {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent(source), encoding: .utf8)
    return try (0..<count).map { i in
      var g = Gaussian(state: seed &+ UInt64(i) &* 1_000_003)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        let f = line.split(separator: " ")
        guard !line.hasPrefix("#"), f.count == 3, let e = Double(f[0]), let i0 = Double(f[1]), let it = Double(f[2]) else {
          return String(line)
        }
        return String(format: "%.3f %.6f %.6f", e, i0, it * (1 + noise * g.next()))
      }
      let url = folder.appendingPathComponent("\(stem)_scan\(i + 1).dat")
      try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
  }

  static func hinge(_ folder: URL, _ name: String) throws -> (ratio: Double, uncertainty: Double) {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("\(name).json"))) as? [String: Any])
    let h = try #require(json["hinge"] as? [String: Any], "\(name).json has no hinge")
    return (try #require(h["ratio"] as? Double), try #require(h["uncertainty"] as? Double))
  }

  /// Four noisy scans of the 180 deg and of the 160 deg octahedron, and one single scan. The CSV's
  /// mean, standard deviation and standard error must equal those computed here from the per-scan
  /// NAME.json ratios; the single scan says "not estimable"; the change in sigma uses the standard
  /// errors (and the single scan's noise u for the mixed pair).
  @Test func scanSpreadIsTheStandardErrorOfThePerScanRatios() throws {
    let tmp = try temporaryFolder()
    let out = tmp.appendingPathComponent("out")
    let a = try Self.noisyScans(
      "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat", stem: "pristine", count: 4, noise: 1e-3, seed: 13, in: tmp)
    let b = try Self.noisyScans(
      "SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat", stem: "composite", count: 4, noise: 1e-3, seed: 1013, in: tmp)
    let c = try Self.noisyScans(
      "SampleSpectra/simulated/tacl6_bend10_sim_transmission.dat", stem: "single", count: 1, noise: 1e-3, seed: 2013, in: tmp)
    let run = try runExafs([
      "compare", "--sample", "pristine=\(a.joined(separator: ","))", "--sample", "composite=\(b.joined(separator: ","))",
      "--sample", "single=\(c[0])", "--hinge", "tacl6", "--realizations", "20", "-o", out.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let csv = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let head = lines[0]
    func column(_ row: Int, _ name: String) throws -> String {
      let i = try #require(head.firstIndex(of: name), "no column \(name) in \(head)")
      return lines[row][i]
    }
    #expect(lines.count == 4)
    #expect(try column(1, "name") == "pristine" && column(2, "name") == "composite" && column(3, "name") == "single")
    // independent statistics from the per-scan NAME.json files
    var stats: [(mean: Double, sem: Double)] = []
    for (row, (stem, n)) in [("pristine", 4), ("composite", 4)].enumerated() {
      let ratios = try (1...n).map { try Self.hinge(out, "\(stem)_scan\($0)").ratio }
      let mean = ratios.reduce(0, +) / Double(n)
      let sd = (ratios.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
      let sem = sd / Double(n).squareRoot()
      stats.append((mean, sem))
      #expect(try column(row + 1, "hinge_scans") == "\(n)")
      let meanOut = try #require(Double(try column(row + 1, "hinge_ratio")))
      let sdOut = try #require(Double(try column(row + 1, "hinge_scan_sd")))
      let semOut = try #require(Double(try column(row + 1, "hinge_scan_sem")))
      #expect(abs(meanOut - mean) <= 1e-5 * mean, "\(stem) mean \(meanOut) vs \(mean)")
      #expect(abs(sdOut - sd) <= 1e-5 * sd, "\(stem) sd \(sdOut) vs \(sd)")
      #expect(abs(semOut - sem) <= 1e-5 * sem, "\(stem) sem \(semOut) vs \(sem)")
      // the scans differ by the added noise: a spread well above zero
      #expect(sd > 1e-4, "\(stem) sd \(sd)")
    }
    // composite vs pristine: judged with the two standard errors
    #expect(try column(2, "significance_basis") == "scan spread")
    let sigma = (stats[0].sem * stats[0].sem + stats[1].sem * stats[1].sem).squareRoot()
    let inSigma = try #require(Double(try column(2, "change_in_sigma")))
    let expected = abs(stats[1].mean - stats[0].mean) / sigma
    #expect(abs(inSigma - expected) <= 1e-5 * expected, "\(inSigma) vs \(expected)")
    #expect(try column(2, "significant") == "yes")
    // one scan: the spread is not estimable; the change is judged with the ratio's noise u
    #expect(try column(3, "hinge_scans") == "1")
    #expect(try column(3, "hinge_scan_sd") == "" && column(3, "hinge_scan_sem") == "")
    #expect(try column(3, "significance_basis") == "scan spread and noise")
    let single = try Self.hinge(out, "single_scan1")
    let mixed = abs(single.ratio - stats[0].mean) / (stats[0].sem * stats[0].sem + single.uncertainty * single.uncertainty).squareRoot()
    let mixedOut = try #require(Double(try column(3, "change_in_sigma")))
    #expect(abs(mixedOut - mixed) <= 1e-5 * mixed, "\(mixedOut) vs \(mixed)")
    let md = try String(contentsOf: out.appendingPathComponent("comparison.md"), encoding: .utf8)
    #expect(md.contains("| single | 1 |") && md.contains("not estimable (1 scan)"), "\(md)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("comparison.json"))) as? [String: Any])
    let rows = try #require(json["rows"] as? [[String: Any]])
    let scans = try #require(rows[0]["hinge_scans"] as? [String: Any])
    #expect(scans["count"] as? Int == 4)
    #expect(abs((scans["standard_error"] as? Double ?? 0) - stats[0].sem) <= 1e-12)
    // difference files are named by sample
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("composite-minus-pristine.chir.diff").path))
  }

  @Test func badSampleIsACommandLineError() throws {
    let out = try temporaryFolder()
    let run = try runExafs([
      "compare", "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat", "--sample", "nofiles", "-o",
      out.appendingPathComponent("x").path,
    ])
    #expect(run.status == 64, "\(run.status) \(run.stderr)")
    #expect(run.stderr.contains("NAME=FILE1,FILE2"), "\(run.stderr)")
  }

  @Test func octahedronNeedsAbsorberAndLigand() throws {
    let out = try temporaryFolder()
    let f = "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat"
    let run = try runExafs(["compare", f, f, "--octahedron", "-o", out.appendingPathComponent("x").path])
    #expect(run.status == 64, "\(run.status) \(run.stderr)")
    #expect(run.stderr.contains("--absorber and --ligand"), "\(run.stderr)")
  }
}
