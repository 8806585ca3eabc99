// `exafs summary`: the shards of `exafs process --shard K/N` merged give back one unsharded run
// (summary.csv byte for byte, the HDF5 file dataset for dataset), and every way shards can be
// wrong is refused with a message naming the file.
import EXAFSKit
import Foundation
import Testing

/// Runs `python3 -c code ARGS...`; returns its exit status, standard output and standard error.
func runPython(_ code: String, _ args: [String] = []) throws -> (status: Int32, out: String, err: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", code] + args
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

let h5pyPresent: Bool = { (try? runPython("import h5py, numpy").status) == 0 }()

/// Compares two batch HDF5 files with h5py: the same groups, and under each the same subgroups,
/// attributes and datasets (shape, dtype and every value exactly); of the root's attributes only
/// file_name, file_time, command (and merged_from, which only the merged file has) may differ.
/// Prints the number of spectra compared.
let sameHDF5Script = #"""
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')
loose = {'file_name', 'file_time', 'command', 'merged_from'}
ra = {k: v for k, v in a.attrs.items() if k not in loose}
rb = {k: v for k, v in b.attrs.items() if k not in loose}
assert ra == rb, (ra, rb)
def same(x, y, path):
    assert set(x.attrs) == set(y.attrs), (path, sorted(x.attrs), sorted(y.attrs))
    for k in x.attrs:
        assert np.array_equal(x.attrs[k], y.attrs[k]), (path, k, x.attrs[k], y.attrs[k])
    if isinstance(x, h5py.Dataset):
        assert isinstance(y, h5py.Dataset) and x.dtype == y.dtype and x.shape == y.shape, path
        assert np.array_equal(x[()], y[()]), path + ': values differ'
        return
    assert list(x.keys()) == list(y.keys()), (path, list(x.keys()), list(y.keys()))
    for k in x.keys():
        same(x[k], y[k], path + '/' + k)
assert list(a.keys()) == list(b.keys()), (list(a.keys()), list(b.keys()))
for name in a.keys():
    same(a[name], b[name], name)
print('same', len(a.keys()))
"""#

/// The rows of a summary.csv (header dropped) split into fields, quotes not handled (test inputs
/// have none in name and source).
private func sources(_ csv: URL) throws -> [String] {
  try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
}

struct SummaryCommandTests {
  /// Two folders given in the order b/ then a/ (so the input list is not sorted by path), an Athena
  /// project of three groups (three rows from one input), an unreadable file (a failed row) and
  /// three shards, each writing its HDF5 file inside its own output folder.
  @Test(.enabled(if: h5pyPresent, "needs python3 with h5py (pip xraylarch brings it; make deps-test installs it)"))
  func threeShardsMergedEqualOneUnshardedRun() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
    for f in [a, b] { try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true) }
    let sim = repositoryRoot.appendingPathComponent("SampleSpectra/simulated")
    let fm = FileManager.default
    try fm.copyItem(at: sim.appendingPathComponent("tacl6_bend00_sim_transmission.dat"), to: b.appendingPathComponent("t00.dat"))
    try fm.copyItem(at: sim.appendingPathComponent("tacl6_bend10_sim_transmission.dat"), to: b.appendingPathComponent("t10.dat"))
    try fm.copyItem(at: sim.appendingPathComponent("tacl6_bend20_sim_transmission.dat"), to: a.appendingPathComponent("t20.dat"))
    try fm.copyItem(at: sim.appendingPathComponent("tacl6_bend30_sim_transmission.dat"), to: a.appendingPathComponent("t30.dat"))
    try fm.copyItem(
      at: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_scans.prj"), to: a.appendingPathComponent("W.prj"))
    try "# energy i0 it\n8900 1 2\n8901 1 oops\n".write(to: a.appendingPathComponent("broken.dat"), atomically: true, encoding: .utf8)
    let options = ["--mu", "ln(i0/it)", "--wavelet", "morlet", "--no-wavelet-grid", "--hinge", "tacl6"]

    let full = dir.appendingPathComponent("full")
    let one = try runExafs(["process", b.path, a.path] + options + ["-o", full.path, "--hdf5", dir.appendingPathComponent("full.h5").path])
    #expect(one.status == 1, "broken.dat fails: \(one.stderr)")
    // The input list: b/ sorted, then a/ sorted; the project gives three rows.
    let expected = [b.path + "/t00.dat", b.path + "/t10.dat"] + Array(repeating: a.path + "/W.prj", count: 3)
      + [a.path + "/broken.dat", a.path + "/t20.dat", a.path + "/t30.dat"]
    #expect(try sources(full.appendingPathComponent("summary.csv")) == expected)

    var shardFolders: [String] = []
    for k in 1...3 {
      let out = dir.appendingPathComponent("shard-\(k)")
      let run = try runExafs(
        ["process", b.path, a.path] + options + ["--shard", "\(k)/3", "-o", out.path, "--hdf5", out.appendingPathComponent("shard.h5").path])
      // Positions 1-6 of the list (t00, t10, W.prj, broken, t20, t30): shard 1 holds 1, 4 (broken.dat).
      #expect(run.status == (k == 1 ? 1 : 0), "shard \(k): \(run.stderr)")
      #expect(fm.fileExists(atPath: out.appendingPathComponent("shard.h5").path), "shard \(k): \(run.stdout) \(run.stderr)")
      shardFolders.append(out.path)
    }
    let manifest = try String(contentsOf: dir.appendingPathComponent("shard-2/shard.csv"), encoding: .utf8)
    #expect(manifest.contains("# shard: 2/3\n# inputs: 6\n# hdf5: shard.h5\nposition,source\n2,\(b.path)/t10.dat\n5,\(a.path)/t20.dat\n"))

    let merged = dir.appendingPathComponent("merged")
    let mergedH5 = dir.appendingPathComponent("merged.h5").path
    // Shards given in any order.
    let run = try runExafs(["summary", shardFolders[2], shardFolders[0], shardFolders[1], "-o", merged.path, "--hdf5", mergedH5])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("(8 rows from 3 of 3 shards, 6 inputs)"), "\(run.stdout)")
    #expect(run.stdout.contains("HDF5: \(mergedH5) (7 spectra from 3 shard files)"), "\(run.stdout)")
    let mergedCSV = try Data(contentsOf: merged.appendingPathComponent("summary.csv"))
    let fullCSV = try Data(contentsOf: full.appendingPathComponent("summary.csv"))
    #expect(mergedCSV == fullCSV, "merged summary.csv differs from the unsharded one")
    #expect(listing(merged) == ["summary.csv"])
    let check = try runPython(sameHDF5Script, [dir.appendingPathComponent("full.h5").path, mergedH5])
    #expect(check.status == 0, "\(check.err)")
    #expect(check.out == "same 7\n")
  }

  /// Small shards (two chi-free scans, no map) for the refusals.
  private func shards(_ dir: URL, inputs: [String], count: Int, prefix: String = "s") throws -> [String] {
    try (1...count).map { k in
      let out = dir.appendingPathComponent("\(prefix)\(k)").path
      let run = try runExafs(["process"] + inputs + ["--mu", "ln(i0/it)", "--shard", "\(k)/\(count)", "-o", out])
      #expect(run.status == 0, "\(run.stderr)")
      return out
    }
  }

  @Test func wrongShardsAreRefusedNamingTheFile() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inputs = [
      "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat", "SampleSpectra/simulated/tacl6_bend10_sim_transmission.dat",
      "SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat",
    ]
    let s = try shards(dir, inputs: inputs, count: 2)
    let out = dir.appendingPathComponent("out")
    let csv = out.appendingPathComponent("summary.csv").path
    func summary(_ args: [String]) throws -> CLIRun { try runExafs(["summary"] + args + ["-o", out.path]) }

    // A missing shard: refused, nothing written; allowed with a warning.
    var run = try summary([s[0]])
    #expect(run.status == 1)
    #expect(run.stderr.contains("shard(s) 2/2 missing: 1 of 2 shards not given"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: csv))
    run = try summary([s[0], "--allow-incomplete"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("warning: shard(s) 2/2 missing"), "\(run.stderr)")
    #expect(try sources(URL(fileURLWithPath: csv)) == [inputs[0], inputs[2]], "shard 1 holds positions 1 and 3")

    // The same shard twice.
    run = try summary([s[0], s[0] + "/summary.csv", s[1]])
    #expect(run.status == 1)
    #expect(run.stderr.contains("shard 1/2 is given twice"), "\(run.stderr)")

    // A header that differs: the file, the column and both names.
    let odd = dir.appendingPathComponent("odd")
    try FileManager.default.copyItem(atPath: s[1], toPath: odd.path)
    let oddCSV = odd.appendingPathComponent("summary.csv")
    let text = try String(contentsOf: oddCSV, encoding: .utf8)
    try text.replacingOccurrences(of: "name,source,e0,", with: "name,source,E0,").write(to: oddCSV, atomically: true, encoding: .utf8)
    run = try summary([s[0], odd.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("\(oddCSV.path):1: the header differs from \(s[0])/summary.csv: column 3 is 'E0', there it is 'e0'"), "\(run.stderr)")

    // A shard that did not finish (its last row missing).
    let cut = dir.appendingPathComponent("cut")
    try FileManager.default.copyItem(atPath: s[0], toPath: cut.path)
    let cutCSV = cut.appendingPathComponent("summary.csv")
    let lines = try String(contentsOf: cutCSV, encoding: .utf8).split(separator: "\n")
    try (lines.dropLast().joined(separator: "\n") + "\n").write(to: cutCSV, atomically: true, encoding: .utf8)
    run = try summary([cut.path, s[1]])
    #expect(run.status == 1)
    #expect(run.stderr.contains("\(cutCSV.path): 1 of the 2 inputs of shard 1/2 have no row (first: \(inputs[2])); the shard did not finish"), "\(run.stderr)")

    // Shards of different runs (2 shards vs 3 shards).
    let t = try shards(dir, inputs: inputs, count: 3, prefix: "t")
    run = try summary([s[0], t[1]])
    #expect(run.status == 1)
    #expect(run.stderr.contains("shard 2/3 of 3 inputs is not of the same run as \(s[0])/shard.csv (shard 1/2 of 3 inputs)"), "\(run.stderr)")

    // Not a shard: an unsharded run's folder.
    let plain = dir.appendingPathComponent("plain").path
    #expect(try runExafs(["process", inputs[0], "--mu", "ln(i0/it)", "-o", plain]).status == 0)
    run = try summary([plain])
    #expect(run.status == 1)
    #expect(run.stderr.contains("\(plain)/summary.csv: no shard.csv next to it"), "\(run.stderr)")
    run = try summary([plain, "--in-given-order"])
    #expect(run.status == 0, "\(run.stderr)")

    // The merged file is never written over an input.
    run = try runExafs(["summary", s[0], s[1], "-o", s[0]])
    #expect(run.status != 0)
    #expect(run.stderr.contains("summary.csv"), "\(run.stderr)")
  }

  /// Inputs of the same stem in two folders are named x and x_2 by one run; two shards cannot see
  /// each other, so both are x: refused.
  @Test func aNameTwoShardsShareIsRefused() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let src = repositoryRoot.appendingPathComponent("SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat")
    var folders: [String] = []
    for f in ["c", "d"] {
      let url = dir.appendingPathComponent(f)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: src, to: url.appendingPathComponent("scan.dat"))
      folders.append(url.path)
    }
    let s = try shards(dir, inputs: folders, count: 2)
    let run = try runExafs(["summary", s[0], s[1], "-o", dir.appendingPathComponent("out").path])
    #expect(run.status == 1)
    #expect(
      run.stderr.contains("the name scan is used by two processed spectra (\(folders[0])/scan.dat and \(folders[1])/scan.dat)"),
      "\(run.stderr)")
  }

  /// More shards than inputs: the empty shard writes a header-only summary.csv, and the merge still
  /// equals the unsharded run.
  @Test func emptyShardMergesToo() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inputs = ["SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat", "SampleSpectra/simulated/tacl6_bend10_sim_transmission.dat"]
    let s = try shards(dir, inputs: inputs, count: 3)
    let full = dir.appendingPathComponent("full")
    #expect(try runExafs(["process"] + inputs + ["--mu", "ln(i0/it)", "-o", full.path]).status == 0)
    let out = dir.appendingPathComponent("out")
    let run = try runExafs(["summary"] + s + ["-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try Data(contentsOf: out.appendingPathComponent("summary.csv")) == Data(contentsOf: full.appendingPathComponent("summary.csv")))
  }

  /// The positions of a shard are K, K+N, ... of the whole list (1-based), and shard.csv reads back.
  @Test func manifestPositionsAndRoundTrip() throws {
    let m = ShardManifest(files: ["a", "b", "c", "d", "e"], shard: 2, of: 3, hdf5: "x, y.h5")
    #expect(m.inputs == [.init(position: 2, source: "b"), .init(position: 5, source: "e")])
    #expect(m.totalInputs == 5)
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("shard.csv").path
    try m.text.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try ShardManifest.read(path: path) == m)
    #expect(OutputChecks.isOwnOutput(path), "shard.csv is recognised as ours (never taken for a spectrum)")
    // A position that shard 2/3 cannot hold.
    try m.text.replacingOccurrences(of: "\n5,e", with: "\n6,e").write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: EXAFSError.self) { try ShardManifest.read(path: path) }
  }
}
