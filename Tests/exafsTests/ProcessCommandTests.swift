// End-to-end tests of `exafs process` and `exafs info` on the bundled samples and on broken input.
import Foundation
import Testing

struct ProcessCommandTests {
  @Test func processesXDIFileIntoFourReadableFiles() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(i0/itrans)", "--rbkg", "1.1", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(listing(out) == ["cu_metal_rt.chik", "cu_metal_rt.chir", "cu_metal_rt.json", "cu_metal_rt.nor", "summary.csv"])
    let nor = try readColumns(out.appendingPathComponent("cu_metal_rt.nor"))
    #expect(nor.names == ["energy", "mu", "norm", "flat", "bkg", "pre_edge", "post_edge"])
    #expect(nor.rows.count == 408 && nor.rows.allSatisfy { $0.count == 7 })
    let chir = try readColumns(out.appendingPathComponent("cu_metal_rt.chir"))
    #expect(chir.names == ["r", "mag", "re", "im", "phase"])
    // rmax_out 10 Å on the 0.0307 Å grid: int(1.01 + 10/0.030680) = 326 rows.
    #expect(chir.rows.count == 326)
    // Cu metal: first shell (Cu-Cu 2.55 Å) appears near 2.2 Å uncorrected.
    let peak = chir.rows.filter { $0[0] > 1 && $0[0] < 3 }.max { $0[1] < $1[1] }!
    #expect(abs(peak[0] - 2.24) < 0.05)
    let chik = try readColumns(out.appendingPathComponent("cu_metal_rt.chik"))
    #expect(chik.names == ["k", "chi", "kwchi", "window"])
    for row in chik.rows where row[0] > 0 { #expect(abs(row[2] - row[1] * row[0] * row[0]) <= 1e-8 * max(1, abs(row[2]))) }

    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("cu_metal_rt.json"))) as! [String: Any]
    let e0 = json["e0"] as! Double
    #expect(abs(e0 - 8980.5) < 1)
    let params = json["parameters"] as! [String: [String: Any]]
    #expect(params["rbkg"]?["source"] as? String == "command line")
    #expect(params["rbkg"]?["value"] as? Double == 1.1)
    #expect(params["kweight"]?["source"] as? String == "default")
    #expect((json["tool"] as? [String: String])?["version"] != nil)
  }

  @Test func badFileAmongGoodOnesIsReportedAndLeavesNothing() throws {
    let out = try temporaryFolder()
    let bad = out.appendingPathComponent("input-broken.dat")
    try "# energy i0 it\n8900 1 2\n8901 1 oops\n".write(to: bad, atomically: true, encoding: .utf8)
    let target = try temporaryFolder()
    let run = try runExafs(["process", bad.path, "SampleSpectra/Fe_metal_rt_01.xdi", "-o", target.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("\(bad.path):3:8"))
    #expect(listing(target) == ["Fe_metal_rt_01.chik", "Fe_metal_rt_01.chir", "Fe_metal_rt_01.json", "Fe_metal_rt_01.nor", "summary.csv"])
    let summary = try String(contentsOf: target.appendingPathComponent("summary.csv"), encoding: .utf8)
    #expect(summary.contains("input-broken.dat,,,,,,,,failed,"))
    #expect(summary.contains("Fe_metal_rt_01,SampleSpectra/Fe_metal_rt_01.xdi,7111,"))
  }

  @Test(arguments: [
    ["--kmin", "5", "--kmax", "3"], ["--rbkg", "0"], ["--dk", "-1"], ["--window", "boxcar"], ["--nnorm", "7"],
  ])
  func impossibleParametersAreRejectedBeforeAnyWork(args: [String]) throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "-o", out.path] + args)
    #expect(run.status == 64)
    #expect(args.filter { $0.hasPrefix("--") }.contains { run.stderr.contains($0) })
    #expect(listing(out).isEmpty)
  }

  @Test func athenaProjectGroupsAreProcessedByLabel() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/W_metal_rt_scans.prj", "--group", "W_metal_rt_02", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(listing(out) == ["W_metal_rt_02.chik", "W_metal_rt_02.chir", "W_metal_rt_02.json", "W_metal_rt_02.nor", "summary.csv"])
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("W_metal_rt_02.json"))) as! [String: Any]
    let params = json["parameters"] as! [String: [String: Any]]
    // bkg_e0 is stored in the project and used; the FT window is stored as kaiser-bessel.
    #expect(params["e0"]?["source"] as? String == "file")
    #expect(params["window"]?["value"] as? String == "kaiser")
  }

  @Test func chiFileSkipsNormalization() throws {
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/simulated/tacl6_bend00.chi", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(listing(out) == ["summary.csv", "tacl6_bend00.chik", "tacl6_bend00.chir", "tacl6_bend00.json"])
  }

  @Test func infoListsGroupsAndColumns() throws {
    let run = try runExafs(["info", "SampleSpectra/W_metal_rt_scans.prj", "SampleSpectra/Fe_metal_rt_01.xdi"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("W_metal_rt_03"))
    #expect(run.stdout.contains("itrans"))
  }
}

/// The command line, the parameter table and the README example stay in step.
struct CommandLineSurfaceTests {
  @Test func everyTableParameterIsAnOptionOfProcessAndCompare() throws {
    // `exafs parameters --markdown` lists the table; every option in it appears in both commands' help.
    let table = try runExafs(["parameters", "--markdown"])
    #expect(table.status == 0)
    let flags = table.stdout.split(separator: "\n").dropFirst(2).compactMap { line -> String? in
      line.split(separator: "|").dropFirst().first.map { _ in String(line.split(separator: "`")[3]) }
    }
    #expect(flags.count == 31, "\(flags)")
    for command in ["process", "compare"] {
      let help = try runExafs([command, "--help"])
      for flag in flags { #expect(help.stdout.contains("  \(flag) <"), "\(command) --help lacks \(flag)") }
    }
    // bkg_window is an option now (it used to be settable only from a file).
    let out = try temporaryFolder()
    let run = try runExafs(["process", "SampleSpectra/Fe_metal_rt_01.xdi", "--bkg-window", "welch", "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("Fe_metal_rt_01.json"))) as! [String: Any]
    let params = json["parameters"] as! [String: [String: Any]]
    #expect(params["bkg_window"]?["value"] as? String == "welch")
    #expect(params["bkg_window"]?["source"] as? String == "command line")
    #expect(params.count == 31)
  }

  @Test func readmeLibraryExampleIsTheBuiltOneAndRuns() throws {
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let example = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Examples/ProcessOneSpectrum/main.swift"), encoding: .utf8)
    #expect(readme.contains("```swift\n" + example + "```"), "README's library example differs from Examples/ProcessOneSpectrum/main.swift")
    let binary = exafsBinary().deletingLastPathComponent().appendingPathComponent("exafs-example")
    let process = Process()
    process.executableURL = binary
    process.currentDirectoryURL = repositoryRoot
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    // Cu foil: E0 8980.5 eV within 1 eV (as the process test), first shell near 2.24 Å uncorrected.
    let e0 = try #require(output.split(separator: "\n").first { $0.hasPrefix("E0 = ") })
    let value = try #require(Double(e0.dropFirst(5).prefix { $0 != " " }))
    #expect(abs(value - 8980.5) < 1, "\(output)")
    #expect(output.contains("first shell: R = 2.2"), "\(output)")
    #expect(output.contains("wavelet map: "), "\(output)")
  }
}
