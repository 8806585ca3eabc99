// The SLURM array job of Docs/batch.md, run for real: a one-node cluster on loopback (Debian's
// slurm-wlm and munge, started and stopped by Tests/Slurm/run-array-job.sh), the documented
// script Scripts/slurm/exafs-array.sbatch over 200 scans in 4 shards, merged with exafs summary,
// must equal one unsharded exafs process run. Skipped, saying why, where SLURM cannot run.
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The array-job script, shown verbatim in Docs/batch.md.
private let sbatchScript = repositoryRoot.appendingPathComponent("Scripts/slurm/exafs-array.sbatch")

/// Writes `count` scans (energy i0 it) made from the four simulated Ta L3 transmission scans, in
/// turn, each with its own multiplicative noise of 2e-4 on it (as Benchmarks/bench.py's make_batch).
private func makeScans(_ folder: URL, count: Int) throws {
  let sim = repositoryRoot.appendingPathComponent("SampleSpectra/simulated")
  let sources = try ["00", "10", "20", "30"].map { bend -> [[Double]] in
    try String(contentsOf: sim.appendingPathComponent("tacl6_bend\(bend)_sim_transmission.dat"), encoding: .utf8)
      .split(separator: "\n").filter { !$0.hasPrefix("#") }
      .map { $0.split(separator: " ").compactMap { Double($0) } }.filter { $0.count == 3 }
  }
  var state: UInt64 = 12345
  func uniform() -> Double {  // SplitMix64
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992.0
  }
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  for n in 0..<count {
    var text = "# energy i0 it\n"
    for row in sources[n % sources.count] {
      let gauss = (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
      text += String(format: "%.6f %.6f %.6f\n", row[0], row[1], row[2] * exp(-2e-4 * gauss))
    }
    try text.write(to: folder.appendingPathComponent(String(format: "scan_%04d.dat", n)), atomically: false, encoding: .utf8)
  }
}

/// Runs `executable ARGS` in its own session and process group, output to `log`; after `timeout`
/// seconds the whole group gets SIGTERM, then SIGKILL. Returns the exit status (nil: timed out).
private func runGroup(_ args: [String], log: URL, timeout: Double) throws -> Int32? {
  FileManager.default.createFile(atPath: log.path, contents: nil)
  let handle = try FileHandle(forWritingTo: log)
  defer { try? handle.close() }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
  process.arguments = ["--wait"] + args
  process.standardOutput = handle
  process.standardError = handle
  try process.run()
  let deadline = Date().addingTimeInterval(timeout)
  while process.isRunning, Date() < deadline { usleep(100_000) }
  guard process.isRunning else { return process.terminationStatus }
  let group = process.processIdentifier  // setsid made it the leader of its group
  kill(-group, SIGTERM)
  let grace = Date().addingTimeInterval(15)
  while process.isRunning, Date() < grace { usleep(100_000) }
  if process.isRunning { kill(-group, SIGKILL) }
  process.waitUntilExit()
  return nil
}

/// Whether the process whose pid is in `file` is alive.
private func alive(pidFile: URL) -> Bool {
  guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
  else { return false }
  return kill(pid, 0) == 0
}

/// Processes whose environment holds `SLURM_CONF=conf` (the daemons and job steps of this test's
/// cluster, and nothing else).
private func processes(withSlurmConf conf: String) -> [Int32] {
  let needle = Data("SLURM_CONF=\(conf)\0".utf8)
  let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
  return pids.filter { pid in
    guard pid != getpid(), let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
    return env.range(of: needle) != nil || env.starts(with: needle.dropLast()) && env.count == needle.count - 1
  }
}

struct SlurmTests {
  @Test func docShowsTheArrayJobScriptVerbatim() throws {
    let script = try String(contentsOf: sbatchScript, encoding: .utf8)
    let doc = try String(contentsOf: repositoryRoot.appendingPathComponent("Docs/batch.md"), encoding: .utf8)
    #expect(doc.contains("```sh\n" + script + "```\n"), "Docs/batch.md must show Scripts/slurm/exafs-array.sbatch unchanged")
  }

  @Test func arrayJobMergedEqualsOneUnshardedRun() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scans = dir.appendingPathComponent("scans"), out = dir.appendingPathComponent("out")
    let work = dir.appendingPathComponent("work")
    let scanCount = 200, shardCount = 4
    try makeScans(scans, count: scanCount)
    let log = dir.appendingPathComponent("slurm.log")
    let helper = repositoryRoot.appendingPathComponent("Tests/Slurm/run-array-job.sh").path
    let status = try runGroup(
      ["/bin/bash", helper, exafsBinary().path, scans.path, out.path, "\(shardCount)", work.path], log: log, timeout: 170)
    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    // Whatever happened, no daemon or job step of ours is left.
    for pid in ["slurmctld.pid", "slurmd.pid", "munge/munged.pid"] {
      #expect(!alive(pidFile: work.appendingPathComponent(pid)), "\(pid): the daemon was not stopped")
    }
    let left = processes(withSlurmConf: work.appendingPathComponent("etc/slurm.conf").path)
    #expect(left.isEmpty, "processes of the test's cluster left running: \(left)")
    for pid in left { kill(pid, SIGKILL) }
    if status == 77 {
      try Test.cancel(Comment(rawValue: output.split(separator: "\n").first { $0.hasPrefix("skip:") }.map(String.init) ?? output))
    }
    guard status == 0 else {
      Issue.record("the SLURM run \(status.map { "exited with \($0)" } ?? "timed out after 170 s"):\n\(output)")
      return
    }
    let times = (try? String(contentsOf: work.appendingPathComponent("times.txt"), encoding: .utf8)) ?? "?"
    print("SLURM: daemons up, array job of \(shardCount) shards over \(scanCount) scans (seconds): \(times)")

    let options = ["--mu", "ln(i0/it)", "--wavelet", "morlet", "--no-wavelet-grid"]  // the script's defaults
    let full = dir.appendingPathComponent("full")
    let fullH5 = dir.appendingPathComponent("full.h5").path
    let one = try runExafs(["process", scans.path] + options + ["-o", full.path, "--hdf5", fullH5])
    #expect(one.status == 0, "\(one.stderr)")
    let shards = (1...shardCount).map { out.appendingPathComponent("shard-\($0)").path }
    let merged = dir.appendingPathComponent("merged"), mergedH5 = dir.appendingPathComponent("merged.h5").path
    let run = try runExafs(["summary"] + shards + ["-o", merged.path, "--hdf5", mergedH5])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("(\(scanCount) rows from \(shardCount) of \(shardCount) shards, \(scanCount) inputs)"), "\(run.stdout)")
    let a = try Data(contentsOf: full.appendingPathComponent("summary.csv"))
    let b = try Data(contentsOf: merged.appendingPathComponent("summary.csv"))
    #expect(a == b, "the merged summary.csv of the array job differs from the unsharded run's")
    #expect(String(decoding: a, as: UTF8.self).split(separator: "\n").count == scanCount + 1)
    if h5pyPresent {
      let check = try runPython(sameHDF5Script, [fullH5, mergedH5])
      #expect(check.status == 0, "\(check.err)")
      #expect(check.out == "same \(scanCount)\n")
    } else {
      Issue.record("h5py is missing: the HDF5 files of the array job were not compared (make deps-test installs it)")
    }
  }
}
