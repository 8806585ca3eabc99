// End-to-end tests of the issue 17 command-line features: --back-transform, --e0-method,
// merge --weights/--space, compare --e0 common, --stack/--offset and the new figures.
import Foundation
import Testing

struct WorkbenchCommandTests {
  static let tungsten = (1...3).map { "SampleSpectra/W_metal_rt_0\($0).xdi" }

  func json(_ url: URL) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  @Test func processBackTransformWritesChiqWithTheRWindow() throws {
    let out = try temporaryFolder()
    let run = try runExafs([
      "process", "SampleSpectra/simulated/tacl6_bend00.chi", "--back-transform", "--rmin", "1.5", "--rmax", "3.2",
      "--dr", "0.2", "--plot", "-o", out.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let chiq = try readColumns(out.appendingPathComponent("tacl6_bend00.chiq"))
    #expect(chiq.names == ["q", "chiq_re", "chiq_im", "chiq_mag", "kwin"])
    #expect(chiq.rows.count == 401)  // q = 0 ... 20 1/Å in steps of 0.05, as Larch's xftr(qmax_out=20)
    #expect(abs(chiq.rows[100][0] - 5) < 1e-12)
    let text = try String(contentsOf: out.appendingPathComponent("tacl6_bend00.chiq"), encoding: .utf8)
    #expect(text.contains("rmin=1.5 rmax=3.2 dr=0.2"))
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("tacl6_bend00.chiq.png").path))
    let params = try #require(json(out.appendingPathComponent("tacl6_bend00.json"))["parameters"] as? [String: [String: Any]])
    #expect(params["rmin"]?["value"] as? Double == 1.5)
    #expect(params["rmin"]?["source"] as? String == "command line")
    #expect(params["rwindow"]?["value"] as? String == "hanning")
    // Without the flag there is no NAME.chiq; an empty R window is refused before any work.
    let plain = try temporaryFolder()
    _ = try runExafs(["process", "SampleSpectra/simulated/tacl6_bend00.chi", "-o", plain.path])
    #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent("tacl6_bend00.chiq").path))
    let bad = try runExafs(["process", "SampleSpectra/simulated/tacl6_bend00.chi", "--rmin", "3", "--rmax", "2", "-o", plain.path])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("--rmax"))
  }

  /// E0 of W_metal_rt_01 by each method equals the reference of make_e0_reference.py (numpy on
  /// Larch's arrays; the library agrees to 0 eV, so end to end the tolerance is 1e-6 eV).
  @Test func e0MethodIsAppliedInNormalization() throws {
    let fixture = try json(URL(fileURLWithPath: "Tests/EXAFSKitTests/Fixtures/e0/e0_reference.json"))
    let cases = try #require(fixture["cases"] as? [[String: Any]])
    let w = try #require(cases.first { ($0["file"] as? String) == "SampleSpectra/W_metal_rt_01.xdi" })
    for (method, key) in [("derivative", "derivative"), ("zero-crossing", "zero_crossing"), ("half-step", "half_step"), ("tabulated", "tabulated")] {
      let out = try temporaryFolder()
      let run = try runExafs(["process", Self.tungsten[0], "--e0-method", method, "-o", out.path])
      #expect(run.status == 0, "\(run.stderr)")
      let record = try json(out.appendingPathComponent("W_metal_rt_01.json"))
      let e0 = try #require(record["e0"] as? Double)
      let expected = try #require(w[key] as? Double)
      #expect(abs(e0 - expected) < 1e-6, "\(method): \(e0) vs \(expected)")
      let params = try #require(record["parameters"] as? [String: [String: Any]])
      #expect(params["e0_method"]?["value"] as? String == method)
    }
    // A given e0 wins over the method; an unknown method is a command-line error.
    let out = try temporaryFolder()
    _ = try runExafs(["process", Self.tungsten[0], "--e0-method", "half-step", "--e0", "10204", "-o", out.path])
    #expect(try json(out.appendingPathComponent("W_metal_rt_01.json"))["e0"] as? Double == 10204)
    let bad = try runExafs(["process", Self.tungsten[0], "--e0-method", "inflection", "-o", out.path])
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("--e0-method"))
  }

  @Test func weightedMergesInEverySpace() throws {
    let out = try temporaryFolder()
    // Importance (2, 1, 1) is the equal merge of (scan 1, scan 1, scan 2, scan 3).
    let weighted = out.appendingPathComponent("imp.dat")
    var run = try runExafs(["merge"] + Self.tungsten + ["-o", weighted.path, "--weights", "importance", "--importance", "2,1,1"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("weights (importance): W_metal_rt_01 0.5"))
    let repeated = out.appendingPathComponent("rep.dat")
    run = try runExafs(["merge", Self.tungsten[0]] + Self.tungsten + ["-o", repeated.path])
    #expect(run.status == 0, "\(run.stderr)")
    let a = try readColumns(weighted).rows, b = try readColumns(repeated).rows
    try #require(a.count == b.count)
    let worst = zip(a, b).map { abs($0[1] - $1[1]) }.max() ?? 1
    #expect(worst < 1e-12, "importance vs repeated scan: \(worst)")
    // 1/variance in norm and chi: weights in the header, summing to 1; the mean is normalized.
    for space in ["norm", "chi"] {
      let file = out.appendingPathComponent("\(space).dat")
      run = try runExafs(["merge"] + Self.tungsten + ["-o", file.path, "--weights", "variance", "--space", space, "--plot", "--stack"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(space).png").path))
      let text = try String(contentsOf: file, encoding: .utf8)
      #expect(text.contains("merge.quantity: \(space)"))
      #expect(text.contains("merge.weighting: variance"))
      let weights = text.split(separator: "\n").filter { $0.contains("merge.weight.") }.compactMap { line in
        line.components(separatedBy: "weight ").last?.split(separator: ",").first.flatMap { Double($0) }
      }
      #expect(weights.count == 3 && abs(weights.reduce(0, +) - 1) < 1e-4, "\(weights)")
      let table = try readColumns(file)
      if space == "norm" {
        #expect(table.names.first == "energy")
        let last = try #require(table.rows.last)
        #expect(abs(last[1] - 1) < 0.3, "normalized mean at the end \(last[1])")
      } else {
        #expect(table.names == ["k", "chi", "stddev"])
      }
    }
    // Importance without weights, or weights of the wrong count.
    run = try runExafs(["merge"] + Self.tungsten + ["-o", weighted.path, "--weights", "importance"])
    #expect(run.status == 64)
    run = try runExafs(["merge"] + Self.tungsten + ["-o", weighted.path, "--weights", "importance", "--importance", "1,1"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("one weight per scan"))
  }

  @Test func compareE0CommonUsesTheReferenceE0ForAll() throws {
    let files = [
      "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat",
      "SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat",
    ]
    let own = try temporaryFolder()
    var run = try runExafs(["compare"] + files + ["--wavelet", "morlet", "-o", own.path])
    #expect(run.status == 0, "\(run.stderr)")
    let refOwn = try #require(json(own.appendingPathComponent("tacl6_bend00_sim_transmission.json"))["e0"] as? Double)
    let otherOwn = try #require(json(own.appendingPathComponent("tacl6_bend20_sim_transmission.json"))["e0"] as? Double)
    #expect(refOwn != otherOwn)  // found per spectrum they differ (9880.5 and 9881.5 eV, issue 17)
    let common = try temporaryFolder()
    run = try runExafs(["compare"] + files + ["--wavelet", "morlet", "--e0", "common", "--stack", "-o", common.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("is used for every spectrum (--e0 common)"))
    let ref = try json(common.appendingPathComponent("tacl6_bend00_sim_transmission.json"))
    let other = try json(common.appendingPathComponent("tacl6_bend20_sim_transmission.json"))
    #expect(ref["e0"] as? Double == refOwn)
    #expect(other["e0"] as? Double == refOwn)
    let params = try #require(other["parameters"] as? [String: [String: Any]])
    #expect(params["e0"]?["source"] as? String == "command line")
    let md = try String(contentsOf: common.appendingPathComponent("comparison.md"), encoding: .utf8)
    #expect(md.contains("the reference's (--e0 common)"))
    // --e0 common belongs to compare; --stack and --offset exclude each other.
    run = try runExafs(["process", files[0], "--e0", "common", "-o", common.path])
    #expect(run.status == 64)
    run = try runExafs(["compare"] + files + ["--stack", "--offset", "1", "-o", common.path])
    #expect(run.status == 64)
  }

  @Test func plotWritesTheKWeightFigure() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", Self.tungsten[0], "--plot", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    for ext in ["mu.png", "chik.png", "kweights.png", "chir.png"] {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("W_metal_rt_01.\(ext)").path), "\(ext)")
    }
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains("W_metal_rt_01.kweights.png"))
  }
}
