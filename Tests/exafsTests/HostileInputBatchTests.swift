// Hostile command lines, unreadable inputs, failed writes and mixed batches: exit codes 64 and 1, nothing left behind.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

#if canImport(Glibc)
  import Glibc
#endif

struct HostileInputBatchTests {
  /// Parameters out of range stop the run before any file is read (exit 64, the option named);
  /// the huge values used to crash the FFT grid and window code.
  @Test(arguments: [
    ["--kmin", "5", "--kmax", "3"], ["--kmin", "4", "--kmax", "4"], ["--rbkg", "0"], ["--rbkg=-1"], ["--dk=-1"],
    ["--dk2=-0.5"], ["--bkg-dk=-1"], ["--window", "boxcar"], ["--bkg-window", "square"], ["--nnorm", "7"],
    ["--kweight", "11"], ["--nknots", "2"], ["--rmax-out", "0"], ["--kmax", "1e300"], ["--kmin", "1e300"],
    ["--dk", "1e300"], ["--dk2", "1e300"], ["--bkg-dk", "1e300"], ["--bkg-kmin", "1e300"], ["--kmax", "nan"],
    ["--jobs", "0"],
  ])
  func outOfRangeParametersExitWith64BeforeAnyWork(args: [String]) throws {
    let parent = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let out = parent.appendingPathComponent("out")
    let run = try Hostile.run(["process", "SampleSpectra/cu_metal_rt.xdi", "-o", out.path] + args)
    #expect(!run.timedOut && !run.signaled, "\(run.stderr)")
    #expect(run.status == 64, "\(args): status \(run.status), \(run.stderr)")
    let options = args.filter { $0.hasPrefix("--") }.compactMap { $0.split(separator: "=").first.map(String.init) }
    #expect(options.contains { run.stderr.contains($0) }, "\(run.stderr)")
    #expect(listing(parent).isEmpty, "the output folder was created or written: \(listing(parent))")
  }

  @Test(arguments: [["--frobnicate"], ["--shard", "5/3"], ["--kmin"], []])
  func malformedCommandLinesExitWith64(args: [String]) throws {
    let parent = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let output = args.isEmpty ? [] : ["-o", parent.appendingPathComponent("out").path]
    let run = try Hostile.run(["process", "SampleSpectra/cu_metal_rt.xdi"] + output + args)
    #expect(!run.timedOut && !run.signaled)
    #expect(run.status == 64, "\(args): \(run.stderr)")
    #expect(listing(parent).isEmpty)
  }

  /// Parameters stored in a project are checked like command-line ones, but only that input fails.
  @Test func storedParametersOutOfRangeFailThatInputOnly() throws {
    let folder = try temporaryFolder(), out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    defer { try? FileManager.default.removeItem(at: out) }
    var project = try Hostile.sampleProjectText()
    let first = try #require(project.range(of: "'fft_kmax', '"))
    let valueEnd = try #require(project[first.upperBound...].firstIndex(of: "'"))
    project.replaceSubrange(first.upperBound..<valueEnd, with: "1e300")
    let path = try Hostile.write(Data(project.utf8), to: folder, as: "stored.prj")
    let run = try Hostile.run(["process", path, "-o", out.path])
    #expect(!run.timedOut && !run.signaled)
    #expect(run.status == 1)
    #expect(run.stderr.contains("kmax (stored in the file as fft_kmax)") && run.stderr.contains("1e+300"), "\(run.stderr)")
    #expect(run.failureList.count == 1, "\(run.stderr)")
    #expect(Hostile.outputs(out).count == 8)  // the two other groups, four files each
    // Errors without a file location (parameters, numerical failures) get the input's name.
    #expect(run.failureList.first?.contains(path) == true, "\(run.stderr)")
  }

  /// Pipes, devices and missing files are reported, not read: a FIFO used to block forever.
  @Test func unreadableInputsAreReportedWithoutWaiting() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("fifo.dat").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let dangling = folder.appendingPathComponent("dangling.xdi").path
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: folder.appendingPathComponent("gone").path)
    let cases = [
      (fifo, "not a regular file"), ("/dev/zero", "not a regular file"), (dangling, "no such file"),
      (folder.appendingPathComponent("missing.dat").path, "no such file"),
    ]
    for (path, words) in cases {
      try Hostile.expectProcessRejects(path, at: "\(path): cannot read file", saying: words)
    }
  }

  /// When an output cannot be written, the spectrum's other outputs and every temporary are removed.
  @Test func failedWriteLeavesNoPartialOutput() throws {
    let out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    // A folder where NAME.chir should go makes the rename of that file fail after others are written.
    try FileManager.default.createDirectory(
      at: out.appendingPathComponent("Fe_metal_rt_01.chir"), withIntermediateDirectories: false)
    try FileManager.default.createFile(
      atPath: out.appendingPathComponent("Fe_metal_rt_01.chir/keep").path, contents: Data())
    let run = try Hostile.run(["process", "SampleSpectra/Fe_metal_rt_01.xdi", "-o", out.path])
    #expect(!run.timedOut && !run.signaled)
    #expect(run.status == 1)
    #expect(run.stderr.contains("Fe_metal_rt_01.chir: cannot write output"), "\(run.stderr)")
    #expect(Hostile.outputs(out) == ["Fe_metal_rt_01.chir"], "left behind: \(Hostile.outputs(out))")
  }

  /// Several bad inputs and one good one: the good one is processed, every bad one is listed at
  /// the end, none leaves a file, and the exit status is 1.
  @Test(arguments: [1, 3])
  func oneBadInputDoesNotStopTheOthers(jobs: Int) throws {
    let folder = try temporaryFolder(), out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    defer { try? FileManager.default.removeItem(at: out) }
    let garbage = try Hostile.write(Data(Hostile.noise(count: 2000, seed: 3).map { UInt8($0 * 256) }), to: folder, as: "garbage.xdi")
    let packed = try Data(contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_scans.prj"))
    let truncated = try Hostile.write(packed.prefix(5000), to: folder, as: "truncated.prj")
    let bad = [
      Hostile.corpus("empty/empty.dat"), Hostile.corpus("columns/short-row.dat"), Hostile.corpus("numbers/nan.dat"),
      Hostile.corpus("athena/perl-system.prj"), Hostile.corpus("no-edge/flat.dat"),
      Hostile.corpus("xdi/column-gap.xdi"), garbage, truncated, folder.appendingPathComponent("missing.dat").path,
    ]
    let good = "SampleSpectra/Fe_metal_rt_01.xdi"
    let inputs = Array(bad[..<4]) + [good] + Array(bad[4...])
    let run = try Hostile.run(["process"] + inputs + ["-o", out.path, "--jobs", "\(jobs)"])
    #expect(!run.timedOut && !run.signaled, "\(run.stderr)")
    #expect(run.status == 1)
    #expect(Hostile.outputs(out) == ["Fe_metal_rt_01.chik", "Fe_metal_rt_01.chir", "Fe_metal_rt_01.json", "Fe_metal_rt_01.nor"])
    #expect(run.failureList.count == bad.count, "\(run.stderr)")
    for file in bad {
      #expect(run.failureList.contains { $0.contains(file) }, "\(file) missing from the final list: \(run.stderr)")
    }
    #expect(run.stdout.contains("1 of \(bad.count + 1) spectra processed"), "\(run.stdout)")
  }
}
