// `exafs fit` and `exafs feff` end to end: files written, JSON keys, errors that leave nothing behind.
import Foundation
import Testing

struct FitCommandTests {
  let cases = "Tests/EXAFSKitTests/Fixtures/fitting/cases"

  @Test func twoDatasetFitWritesSummaryAndArraysPerDataset() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["fit", "--model", "\(cases)/tacl6-two-datasets.model.json", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      listing(out) == [
        "tacl6-two-datasets.fit.json", "tacl6-two-datasets_tacl6_bend00.fit.chik", "tacl6-two-datasets_tacl6_bend00.fit.chir",
        "tacl6-two-datasets_tacl6_bend20.fit.chik", "tacl6-two-datasets_tacl6_bend20.fit.chir",
      ])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tacl6-two-datasets.fit.json")))
        as? [String: Any])
    let stats = try #require(json["statistics"] as? [String: Any])
    for key in ["chi_square", "reduced_chi_square", "r_factor", "n_independent", "n_variables", "epsilon_k", "epsilon_r"] {
      #expect(stats[key] != nil, "statistics.\(key) missing")
    }
    let pars = try #require(json["parameters"] as? [String: [String: Any]])
    #expect(Set(pars.keys) == ["amp", "de0", "dr_a", "dr_b", "dss", "ss_a", "ss_b"])
    // Larch feffit (Fixtures/fitting/feffit.json): amp = 0.903949 +- 0.011508.
    let amp = try #require(pars["amp"]?["value"] as? Double)
    #expect(abs(amp - 0.903949) < 1e-5)
    #expect(pars["ss_b"]?["expr"] as? String == "ss_a + dss")
    let paths = try #require(json["paths"] as? [[String: Any]])
    #expect(paths.count == 2)
    for key in ["s02", "e0", "deltar", "sigma2", "r"] { #expect(paths[0][key] is Double, "paths[0].\(key)") }
    let (names, rows) = try readColumns(out.appendingPathComponent("tacl6-two-datasets_tacl6_bend00.fit.chik"))
    #expect(names == ["k", "data", "model", "path1"])
    #expect(rows.count > 300 && rows.allSatisfy { $0.count == 4 })
    let (rnames, _) = try readColumns(out.appendingPathComponent("tacl6-two-datasets_tacl6_bend00.fit.chir"))
    #expect(rnames.first == "r" && rnames.contains("model_mag") && rnames.contains("path1_mag"))
  }

  /// With --plot the fit figures (k, R and Morlet maps) and a report page: every image it links exists, and the page
  /// shows the fitted amplitude as feffit.json has it (0.903949).
  @Test func plotWritesFiguresAndAReport() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["fit", "--model", "\(cases)/tacl6-two-datasets.model.json", "--plot", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let files = listing(out)
    #expect(files.contains("index.html"))
    let images = files.filter { $0.hasSuffix(".png") }
    #expect(images.count >= 2, "\(files)")
    // Morlet maps of data, model, residual and of each path, per dataset (two here)
    #expect(images.filter { $0.contains(".fit-wavelet_") }.count == 2, "\(images)")
    #expect(images.filter { $0.contains(".fit-paths-wavelet_") }.count == 2, "\(images)")
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    for image in images { #expect(html.contains("src=\"\(image)\""), "\(image) not shown") }
    #expect(html.contains("<td>amp</td><td>0.903949</td>"), "amplitude row missing")
    #expect(html.contains("Content-Security-Policy"))
  }

  @Test func badModelIsReportedWithFileAndEntryAndLeavesNothing() throws {
    let dir = try temporaryFolder()
    let model = dir.appendingPathComponent("bad.model.json")
    let feff = repositoryRoot.appendingPathComponent("Tests/EXAFSKitTests/Fixtures/fitting/feff6/tacl6/feff0001.dat").path
    try """
      {"parameters": {"amp": {"guess": 1}, "ss": {"expr": "2*ss9"}},
       "paths": [{"feff": "\(feff)", "s02": "amp", "sigma2": "ss"}]}
      """.write(to: model, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out")
    let run = try runExafs(["fit", "SampleSpectra/simulated/tacl6_bend00.chi", "--model", model.path, "-o", out.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("bad.model.json") && run.stderr.contains("parameters.ss") && run.stderr.contains("ss9"), "\(run.stderr)")
    #expect(listing(out).isEmpty)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/feff6l"), "skipped: /usr/bin/feff6l is not installed (apt-get install feff85exafs)"))
  func feffRunsOnAnXYZClusterAndListsPaths() throws {
    let dir = try temporaryFolder()
    let xyz = dir.appendingPathComponent("tacl6.xyz")
    try "7\nTaCl6\nTa 0 0 0\nCl 2.37 0 0\nCl -2.37 0 0\nCl 0 2.37 0\nCl 0 -2.37 0\nCl 0 0 2.37\nCl 0 0 -2.37\n"
      .write(to: xyz, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("feff")
    let run = try runExafs(["feff", xyz.path, "-o", out.path, "--rmax", "4.8"])
    #expect(run.status == 0, "\(run.stderr)")
    let paths = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("paths.json"))) as? [[String: Any]])
    #expect(paths.count == 6)
    #expect(paths.first?["reff"] as? Double == 2.37)
    #expect(paths.first?["degen"] as? Double == 6)
    #expect(paths.first?["atoms"] as? [String] == ["Ta", "Cl"])
    #expect(listing(out).contains("feff0006.dat") && listing(out).contains("feff.inp"))
  }

  @Test func failingFeffIsReportedWithItsInput() throws {
    let dir = try temporaryFolder()
    let xyz = dir.appendingPathComponent("pair.xyz")
    try "Ta 0 0 0\nCl 2.37 0 0\n".write(to: xyz, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("feff")
    let run = try runExafs(["feff", xyz.path, "-o", out.path, "--feff", "/bin/false"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("feff.inp") && run.stderr.contains("failed"), "\(run.stderr)")
    let missing = try runExafs(["feff", xyz.path, "-o", out.path, "--feff", "/nonexistent/feff6l"])
    #expect(missing.status == 1 && missing.stderr.contains("not an executable"), "\(missing.stderr)")
  }

  /// `process --phase-correct`: the TaCl6 first shell at 2.37 Å within one R step (reached 2.393).
  @Test func processPhaseCorrectPutsFirstShellAtItsDistance() throws {
    let out = try temporaryFolder()
    let run = try runExafs([
      "process", "SampleSpectra/simulated/tacl6_bend00.chi", "--kmin", "3", "--kmax", "14", "--phase-correct",
      "Tests/EXAFSKitTests/Fixtures/fitting/feff6/tacl6/feff0001.dat", "-o", out.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tacl6_bend00.json"))) as? [String: Any])
    let r = try #require((json["first_shell"] as? [String: Any])?["r"] as? Double)
    #expect(abs(r - 2.37) <= Double.pi / (0.05 * 2048), "first shell at \(r)")
    let bad = try runExafs(["process", "SampleSpectra/simulated/tacl6_bend00.chi", "--phase-correct", "README.md", "-o", out.path])
    #expect(bad.status == 64 && bad.stderr.contains("not a FEFF path file"), "\(bad.stderr)")
  }
}
