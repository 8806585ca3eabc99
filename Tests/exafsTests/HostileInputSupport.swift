// Helpers for the hostile-input tests: a guarded run of exafs (time limit, signals), the corpus, derived inputs.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

#if canImport(Glibc)
  import Glibc
#endif

/// One run of the command-line tool under a time limit.
struct GuardedRun {
  /// Exit status, or the signal number when `signaled`.
  let status: Int32
  /// True when the process died of a signal (a crash).
  let signaled: Bool
  /// True when the process outlived the time limit and was killed (a hang).
  let timedOut: Bool
  let stdout: String
  let stderr: String

  /// The lines after `N failed:` at the end of standard error.
  var failureList: [String] {
    let lines = stderr.split(separator: "\n").map(String.init)
    guard let header = lines.lastIndex(where: { $0.hasSuffix(" failed:") }) else { return [] }
    return lines[(header + 1)...].filter { $0.hasPrefix("  ") }
  }
}

enum Hostile {
  /// Longest a single run may take before it counts as a hang, seconds.
  static let timeLimit: TimeInterval = 60

  /// Runs `exafs ARGS` in `directory` (default: the repository root), killing it after `timeLimit`.
  /// Output goes to files rather than pipes, so a hung or chatty child cannot block the test.
  static func run(_ args: [String], in directory: URL = repositoryRoot) throws -> GuardedRun {
    let scratch = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    defer {
      try? out.close()
      try? err.close()
    }
    let process = Process()
    process.executableURL = exafsBinary()
    process.arguments = args
    process.currentDirectoryURL = directory
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeLimit)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    let timedOut = process.isRunning
    if timedOut {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    return GuardedRun(
      status: process.terminationStatus, signaled: !timedOut && process.terminationReason == .uncaughtSignal,
      timedOut: timedOut, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
  }

  /// Path of a corpus file relative to the repository root (the tests run exafs there), e.g.
  /// `Tests/Corpus/empty/empty.dat`.
  static func corpus(_ name: String) -> String { "Tests/Corpus/" + name }

  /// Every corpus file of a family folder, relative paths, sorted.
  static func corpusFamily(_ folder: String) -> [String] {
    let url = repositoryRoot.appendingPathComponent("Tests/Corpus/" + folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map { corpus(folder + "/" + $0) }
  }

  /// Files in `folder` other than the run's summary.csv: hidden temporaries included.
  static func outputs(_ folder: URL) -> [String] { listing(folder).filter { $0 != "summary.csv" } }

  /// Checks the contract for an input that must fail: exit status 1 (no signal, no hang), an
  /// error line starting with `location` (`file:line` or `file:line:column`; without one, the file
  /// named anywhere), the final list names the file, and no output (not even a hidden temporary)
  /// is left in `outdir`.
  static func expectRejected(
    _ run: GuardedRun, file: String, at location: String? = nil, saying words: String? = nil, outdir: URL,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    #expect(!run.timedOut, "exafs hung on \(file)", sourceLocation: sourceLocation)
    #expect(!run.signaled, "exafs died of signal \(run.status) on \(file): \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.status == 1, "exit status \(run.status) for \(file): \(run.stderr)", sourceLocation: sourceLocation)
    if let location {
      #expect(run.stderr.contains("error: \(location)"), "stderr does not start an error with \(location): \(run.stderr)", sourceLocation: sourceLocation)
    } else {
      #expect(run.stderr.contains(file), "stderr does not name \(file): \(run.stderr)", sourceLocation: sourceLocation)
    }
    #expect(run.failureList.contains { $0.contains(file) }, "final list lacks \(file): \(run.stderr)", sourceLocation: sourceLocation)
    if let words {
      #expect(run.stderr.contains(words), "stderr lacks '\(words)': \(run.stderr)", sourceLocation: sourceLocation)
    }
    #expect(outputs(outdir).isEmpty, "left behind for \(file): \(outputs(outdir))", sourceLocation: sourceLocation)
  }

  /// Runs `exafs process FILE -o OUT` and checks the file is rejected as `expectRejected` says.
  static func expectProcessRejects(
    _ file: String, at location: String? = nil, saying words: String? = nil, extra: [String] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    let out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try run(["process", file, "-o", out.path] + extra)
    expectRejected(run, file: file, at: location, saying: words, outdir: out, sourceLocation: sourceLocation)
  }

  // MARK: - Inputs derived from the samples at run time

  /// The simulated Ta L3 transmission scan: its 3 header lines and its rows (energy, i0, it as text).
  /// E0 is 9881 eV; 401 points from 9681 to 10851 eV.
  static func simulatedScan() throws -> (header: [String], rows: [[String]]) {
    let url = repositoryRoot.appendingPathComponent("SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    return (Array(lines.prefix(3)), lines.dropFirst(3).map { $0.split(separator: " ").map(String.init) })
  }

  /// Writes a column file made of `header` and `rows` to `folder/name` and returns its path.
  static func write(_ header: [String], _ rows: [[String]], to folder: URL, as name: String) throws -> String {
    let text = (header + rows.map { $0.joined(separator: " ") }).joined(separator: "\n") + "\n"
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: false, encoding: .utf8)
    return url.path
  }

  /// Writes `bytes` to `folder/name` and returns its path.
  static func write(_ bytes: Data, to folder: URL, as name: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try bytes.write(to: url)
    return url.path
  }

  /// The sample Athena project, decompressed.
  static func sampleProjectText() throws -> String {
    let packed = try Data(contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_scans.prj"))
    return String(decoding: try Gzip.decompress(packed, file: "W_metal_rt_scans.prj", limit: 1 << 24), as: UTF8.self)
  }

  /// A deterministic pseudo-random sequence in [0, 1) (a 64-bit LCG; enough for test noise).
  static func noise(count: Int, seed: UInt64) -> [Double] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
  }
}
