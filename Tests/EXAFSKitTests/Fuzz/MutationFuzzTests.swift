// Bounded mutation fuzzing of every reader and the pipeline behind it, seeded from the files in SampleSpectra/.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// One fuzzed input format, with the sample files its mutants start from.
enum FuzzTarget: String, CaseIterable, Sendable {
  case xdi, athenaGzip, athenaText, columns, chi

  /// Extension given to the mutant files (it decides how `.chi` files are read).
  var fileExtension: String {
    switch self {
    case .xdi: return "xdi"
    case .athenaGzip, .athenaText: return "prj"
    case .columns: return "dat"
    case .chi: return "chi"
    }
  }

  /// The unmutated inputs, as bytes (Athena projects decompressed for `athenaText`).
  func seeds() throws -> [[UInt8]] {
    let samples = FuzzSupport.repositoryRoot.appendingPathComponent("SampleSpectra")
    func load(_ names: [String]) throws -> [[UInt8]] {
      try names.map { [UInt8](try Data(contentsOf: samples.appendingPathComponent($0))) }
    }
    switch self {
    case .xdi:
      return try load([
        "cu_metal_rt.xdi", "Fe_metal_rt_01.xdi", "W_metal_rt_01.xdi", "W_metal_rt_02.xdi", "W_metal_rt_03.xdi",
      ])
    case .athenaGzip:
      return try load(["W_metal_rt_scans.prj"])
    case .athenaText:
      let packed = try Data(contentsOf: samples.appendingPathComponent("W_metal_rt_scans.prj"))
      return [[UInt8](try Gzip.decompress(packed, file: "W_metal_rt_scans.prj", limit: 1 << 24))]
    case .columns:
      return try load((0...3).map { "simulated/tacl6_bend\($0)0_sim_transmission.dat" })
    case .chi:
      return try load((0...3).map { "simulated/tacl6_bend\($0)0.chi" })
    }
  }
}

enum FuzzSupport {
  /// The repository root (this file is Tests/EXAFSKitTests/Fuzz/MutationFuzzTests.swift).
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// An environment variable as a number, else `fallback`.
  static func setting(_ name: String, _ fallback: Double) -> Double {
    ProcessInfo.processInfo.environment[name].flatMap(Double.init) ?? fallback
  }

  /// Wall-time budget of the whole fuzz run, seconds: `EXAFS_FUZZ_SECONDS`, default 60.
  static let totalSeconds = setting("EXAFS_FUZZ_SECONDS", 60)
  /// Most mutants per target: `EXAFS_FUZZ_ITERATIONS`, default 100 000 (time usually runs out first).
  static let maxIterations = Int(setting("EXAFS_FUZZ_ITERATIONS", 100_000))
  /// Base seed: `EXAFS_FUZZ_SEED`, default 20_251_126. Mutant i of a target is a function of it alone.
  static let baseSeed = UInt64(setting("EXAFS_FUZZ_SEED", 20_251_126))
  /// An input slower than this, seconds, is reported as a problem (a hang in the making). The
  /// slowest legitimate inputs (rbkg near 10 Å: 100 spline knots, 500 iterations) take about 10 s
  /// in a debug build on a loaded machine.
  static let slowSeconds = 60.0

  /// `--mu` expressions tried on column and XDI mutants (nil: the reader's own choice).
  static let muExpressions: [String?] = [
    nil, nil, nil, "ln(i0/it)", "ln(i0/itrans)", "ln(it/i0)", "$2", "$3/$2", "sqrt($2)", "exp($2)", "1/($2-$2)",
    "$2*1e308*10", "log10($3)", "-ln($3/$2)",
  ]

  /// Command-line parameters tried on some mutants: ordinary, extreme and invalid values.
  static let parameterChoices: [(String, [String])] = [
    ("kmin", ["0", "0.5", "2", "15", "30", "99", "1e300"]),
    ("kmax", ["3", "12", "25", "40", "99", "1e300"]),
    ("dk", ["0", "0.5", "5", "100", "1e300"]),
    ("dk2", ["0", "3", "1e300"]),
    ("window", ["hanning", "kaiser", "welch", "parzen", "sine", "gaussian"]),
    ("kweight", ["0", "0.5", "1", "3", "10"]),
    ("rbkg", ["0.1", "1", "3", "9.9"]),
    ("nknots", ["5", "128"]),
    ("bkg_kmin", ["0", "5", "1e300"]),
    ("bkg_kmax", ["3", "1e300"]),
    ("bkg_dk", ["0", "10", "1e300"]),
    ("bkg_kweight", ["-10", "0", "3", "10"]),
    ("clamp_lo", ["0", "1e6", "1e300"]),
    ("clamp_hi", ["0", "1e6", "1e300"]),
    ("e0", ["0", "5000", "10000", "1e300", "-1e300"]),
    ("pre1", ["-1e300", "-200", "0", "100"]),
    ("pre2", ["-1e300", "-30", "50"]),
    ("norm1", ["-50", "0", "1e300"]),
    ("norm2", ["-100", "300", "1e300"]),
    ("nnorm", ["0", "3", "5"]),
    ("rmax_out", ["0.1", "50"]),
  ]

  /// A random choice of up to three parameters.
  static func randomParameters(using rng: inout SplitMix64) -> ParameterValues {
    var values: ParameterValues = [:]
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
      guard let (name, choices) = parameterChoices.randomElement(using: &rng) else { continue }
      values[name] = choices.randomElement(using: &rng)
    }
    return values
  }
}

/// Counts of what the mutants did, and the problems found.
struct FuzzTally: CustomStringConvertible {
  var mutants = 0
  var outcomes: [String: Int] = [:]
  /// The first message seen for each kind of error, as an example.
  var examples: [String: String] = [:]
  var problems: [String] = []
  var slowest = (seconds: 0.0, mutant: -1)
  var seconds = 0.0

  var description: String {
    let counts = outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    let samples = examples.sorted { $0.key < $1.key }.map { "\n  e.g. \($0.key): \($0.value.prefix(300))" }.joined()
    return "\(mutants) mutants in \(String(format: "%.1f", seconds)) s (\(counts)); "
      + "slowest mutant #\(slowest.mutant) \(String(format: "%.2f", slowest.seconds)) s; \(problems.count) problems"
      + samples
  }
}

struct MutationFuzzTests {
  /// Mutants of real files go through the readers and the whole pipeline: each either gives finite
  /// results or an `EXAFSError` naming the file; never a crash, a foreign error, NaN output or a hang.
  /// Bounded by `EXAFS_FUZZ_SECONDS` (default 60 s over all targets) and `EXAFS_FUZZ_ITERATIONS`.
  @Test(arguments: FuzzTarget.allCases)
  func mutantsProcessOrFailCleanly(target: FuzzTarget) throws {
    let seeds = try target.seeds()
    let budget = FuzzSupport.totalSeconds / Double(FuzzTarget.allCases.count)
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-fuzz-\(target.rawValue)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    // A crash kills the test process; the mutant that caused it stays in `work` under its number.
    print("fuzz \(target.rawValue): mutants are written to \(work.path) (a crash leaves its input there)")
    var tally = FuzzTally()
    let start = Date()
    for index in 0..<FuzzSupport.maxIterations where Date().timeIntervalSince(start) < budget {
      let mutant = Self.mutant(target: target, index: index, seeds: seeds)
      let path = work.appendingPathComponent("\(target.rawValue)-\(index).\(target.fileExtension)").path
      try Data(mutant.bytes).write(to: URL(fileURLWithPath: path))
      let began = Date()
      let result = PipelineProbe.run(path: path, options: mutant.options, commandLine: mutant.parameters)
      let took = Date().timeIntervalSince(began)
      if took > tally.slowest.seconds { tally.slowest = (took, index) }
      tally.mutants += 1
      for (outcome, message) in zip(result.outcomes, result.messages) {
        tally.outcomes[outcome, default: 0] += 1
        if !message.isEmpty, tally.examples[outcome] == nil { tally.examples[outcome] = message }
      }
      var problems = result.problems
      if took > FuzzSupport.slowSeconds { problems.append("took \(String(format: "%.1f", took)) s") }
      if problems.isEmpty {
        try? FileManager.default.removeItem(atPath: path)
      } else {
        let kept = Self.keep(path)
        for problem in problems {
          tally.problems.append("mutant #\(index) (\(mutant.description)) kept at \(kept): \(problem)")
        }
      }
    }
    tally.seconds = Date().timeIntervalSince(start)
    print("fuzz \(target.rawValue): \(tally)")
    for problem in tally.problems { Issue.record(Comment(rawValue: problem)) }
    #expect(tally.mutants > 0)
  }

  /// Mutant number `index` of `target`: a function of the base seed, the target and the index only.
  static func mutant(target: FuzzTarget, index: Int, seeds: [[UInt8]]) -> (
    bytes: [UInt8], options: ReadOptions, parameters: ParameterValues, description: String
  ) {
    let salt = UInt64(FuzzTarget.allCases.firstIndex(of: target) ?? 0) << 40
    var rng = SplitMix64(seed: FuzzSupport.baseSeed &+ salt &+ UInt64(index))
    let seedIndex = Int.random(in: 0..<seeds.count, using: &rng)
    var bytes = seeds[seedIndex]
    var operations: [Mutator.Operation]
    if target == .athenaGzip, Bool.random(using: &rng) {
      // Corrupt the compressed bytes themselves.
      (bytes, operations) = Mutator.mutate(bytes, using: &rng)
    } else {
      if target == .athenaGzip, let text = try? Gzip.decompress(Data(bytes), file: "seed", limit: 1 << 24) {
        bytes = [UInt8](text)
      }
      (bytes, operations) = Mutator.mutate(bytes, using: &rng)
      if target == .athenaGzip, let packed = try? Gzip.compress(Data(bytes)) { bytes = [UInt8](packed) }
    }
    var options = ReadOptions()
    if target == .xdi || target == .columns {
      options.mu = FuzzSupport.muExpressions.randomElement(using: &rng) ?? nil
    }
    if target == .athenaGzip || target == .athenaText, Int.random(in: 0..<4, using: &rng) == 0 {
      options.groups = [["W_metal_rt_02", "w_metal_rt_01", "nope"].randomElement(using: &rng) ?? ""]
    }
    let parameters = Int.random(in: 0..<4, using: &rng) == 0 ? FuzzSupport.randomParameters(using: &rng) : [:]
    let description =
      "seed \(seedIndex), \(operations.map { "\($0)" }.joined(separator: "+"))"
      + (options.mu.map { ", --mu '\($0)'" } ?? "") + (parameters.isEmpty ? "" : ", \(parameters)")
    return (bytes, options, parameters, description)
  }

  /// Copies a problem input to a folder that outlives the test, and returns its path.
  static func keep(_ path: String) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-fuzz-findings")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let destination = folder.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent)
    try? FileManager.default.removeItem(at: destination)
    try? FileManager.default.copyItem(atPath: path, toPath: destination.path)
    return destination.path
  }
}
