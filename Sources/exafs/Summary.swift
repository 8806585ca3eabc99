// `exafs summary SHARD... -o OUTDIR`: the summary.csv (and HDF5 files) of the shards of a sharded run merged into one.
import ArgumentParser
import EXAFSHDF5
import EXAFSKit
import Foundation

struct Summary: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the summary.csv (and --hdf5 files) of the shards of exafs process --shard K/N into one.",
    discussion: """
      Each SHARD is a shard's output folder (or its summary.csv); next to it, shard.csv (written by \
      exafs process --shard) says which inputs the shard held. Writes OUTDIR/summary.csv with the rows, \
      in the order, of one unsharded run, and with --hdf5 one HDF5 file holding every shard's spectra. \
      Refuses (exit 1, nothing written) headers that differ, shards of different runs, a missing or \
      unfinished shard (unless --allow-incomplete), and a name that two processed spectra share.
      """)

  @Argument(help: "The shards' output folders (or their summary.csv files).")
  var shards: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder for the merged summary.csv (created if missing).")
  var outdir: String
  @Option(help: "Also merge the shards' HDF5 files (exafs process --hdf5, as recorded in shard.csv) into this file.")
  var hdf5: String?
  @Flag(help: "Merge even when shards are missing or did not finish (each is reported as a warning).")
  var allowIncomplete = false
  @Flag(help: "The inputs are not shards (no shard.csv): concatenate their rows in the order given.")
  var inGivenOrder = false

  func run() throws {
    let csvPaths = shards.map { path -> String in
      var isDir: ObjCBool = false
      let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
      return folder ? (path as NSString).appendingPathComponent("summary.csv") : path
    }
    let tables: [SummaryTable]
    let merged: SummaryMerge
    do {
      tables = try csvPaths.map { try SummaryTable(path: $0) }
      merged = try SummaryMerge(tables, allowIncomplete: allowIncomplete, inGivenOrder: inGivenOrder)
    } catch let e as EXAFSError {
      printError("error: \(e.description)")
      throw ExitCode.failure
    }
    // The shards' HDF5 files, as recorded in their shard.csv (relative to the shard's folder).
    var h5Inputs: [String] = []
    if hdf5 != nil {
      for t in tables {
        guard let m = t.manifest, let recorded = m.hdf5 else {
          printError("error: \(t.manifestPath ?? t.path): the shard records no HDF5 file (run exafs process --shard with --hdf5)")
          throw ExitCode.failure
        }
        let folder = (t.manifestPath! as NSString).deletingLastPathComponent
        h5Inputs.append(recorded.hasPrefix("/") ? recorded : (folder as NSString).appendingPathComponent(recorded))
      }
    }
    let csvOut = (outdir as NSString).appendingPathComponent("summary.csv")
    try checkOutputs(
      files: [("output", csvOut), ("hdf5", hdf5)], folders: [("output", outdir)],
      inputs: csvPaths + tables.compactMap(\.manifestPath) + h5Inputs)
    for w in merged.warnings { printError("warning: \(w)") }
    try createDirectory(outdir)
    if let hdf5 {
      do {
        let file = try HDF5BatchFile(
          path: hdf5,
          provenance: ["command": CommandLine.arguments.joined(separator: " "), "merged_from": h5Inputs.joined(separator: "\n")])
        for input in h5Inputs { try file.addEntries(from: input) }
        let n = try file.commit()
        print("HDF5: \(hdf5) (\(n) spectra from \(h5Inputs.count) shard files)")
      } catch let e as EXAFSError {
        printError("error: \(e.description)")
        throw ExitCode.failure
      }
    }
    do { try AtomicWriter.write(merged.csv, to: csvOut) } catch {
      printError("error: \((error as? EXAFSError)?.description ?? "\(error)")")
      throw ExitCode.failure
    }
    let shardText = merged.manifests.first.map { m in
      "\(merged.manifests.count) of \(m.shardCount) shards, \(m.totalInputs) inputs"
    } ?? "\(tables.count) files in the order given"
    print("summary: \(csvOut) (\(merged.rowCount) rows from \(shardText))")
  }
}
