// `exafs process INPUT... -o OUTDIR`: normalized mu(E), chi(k), chi(R) and a JSON summary per spectrum.
import ArgumentParser
import EXAFSHDF5
import EXAFSKit
import EXAFSPlot
import EXAFSReport
import Foundation

struct Process: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Normalize, remove the background and Fourier transform every spectrum of the inputs.",
    discussion: """
      Writes NAME.nor, NAME.chik, NAME.chir and NAME.json to OUTDIR for every spectrum (every group \
      of an Athena project), and summary.csv with one row per spectrum; with --back-transform also \
      NAME.chiq (chi(q)); with --plot also the figures and index.html, a page showing every spectrum's figures and metrics. A spectrum that fails \
      leaves no file behind; the others are processed, and the exit status is 1.
      """)

  @Argument(help: "Input files or folders (column files, XDI, Athena projects, chi(k) files).")
  var inputs: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @OptionGroup var input: InputOptions
  @OptionGroup var processing: ProcessingOptions
  @OptionGroup var waveletOptions: WaveletOptions
  @OptionGroup var hingeOptions: HingeOptions
  @OptionGroup var plotOptions: PlotCommandOptions
  @OptionGroup var batch: BatchOptions
  @Option(help: "Also write every processed group into this Athena project file (gzip).")
  var athena: String?
  @Option(help: "Also write every processed spectrum (arrays, wavelet map, metrics, parameters) into this one HDF5 file.")
  var hdf5: String?
  @Option(help: "FEFF path file (feffNNNN.dat) whose phase 2 delta_c + phase(f_eff) is removed before the transform.")
  var phaseCorrect: String?
  @Flag(help: "Also write NAME.chiq (and with --plot NAME.chiq.png): the back transform of chi(R) over the R window --rmin ... --rmax (taper --dr, window --rwindow), as Larch's xftr.")
  var backTransform = false
  @Flag(inversion: .prefixedNo, help: "Write series.csv (index, time stamp, elapsed s, e0, edge step, first shell, hinge ratio per spectrum) and the trend figure series.png (default: when --plot makes a report of 6 or more spectra). Docs/batch.md, Series.")
  var series: Bool?

  func validate() throws {
    if processing.e0IsCommon { throw ValidationError("--e0 common is for exafs compare (the reference's E0 for all); give a number") }
  }

  func run() throws {
    let allFiles = Batch.expandInputs(inputs) { printError("note: \($0)") }
    let files = batch.select(allFiles)
    try checkOutputs(files: [("athena", athena), ("hdf5", hdf5)], folders: [("output", outdir)], inputs: inputs + files)
    if files.isEmpty, !allFiles.isEmpty, let (k, n) = batch.parsedShard {  // more shards than inputs: an empty shard
      printError("note: shard \(k)/\(n) holds none of the \(allFiles.count) input(s); it writes an empty summary.csv")
    } else if files.isEmpty {
      printError("error: no spectra to process in \(inputs.joined(separator: ", ")) (empty folder, or only exafs outputs and documentation)")
      throw ExitCode.failure
    }
    StopSignals.install()
    try createDirectory(outdir)
    let lock: FolderLock
    do { lock = try FolderLock(folder: outdir) } catch let e as EXAFSError { throw ValidationError(e.description) }
    defer { withExtendedLifetime(lock) {} }
    let maps = MapSettings(
      wavelet: waveletOptions.parameters(kweight: 2, hingeRequested: hingeOptions.requested),
      hinge: try hingeOptions.parameters(), export: waveletOptions.export, plots: plotOptions.options(),
      backTransform: backTransform, series: series)
    var configuration = maps.configuration(
      outdir: outdir, readOptions: input.readOptions, given: processing.values, report: true)
    configuration.jobs = batch.jobs
    configuration.collectAthena = athena != nil
    configuration.shouldStop = StopSignals.shouldStop
    if let phaseCorrect {
      do { configuration.phaseCorrection = try FeffPath(path: phaseCorrect) } catch let e as EXAFSError {
        throw ValidationError(e.commandLineDescription)
      }
    }
    let h5 = try hdf5.map { path in
      do {
        return try HDF5BatchFile(path: path, provenance: ["command": CommandLine.arguments.joined(separator: " ")])
      } catch let e as EXAFSError { throw ValidationError(e.description) }
    }
    if let h5 { configuration.spectrumSink = { try h5.add($0, record: $1) } }
    let manifestPath = (outdir as NSString).appendingPathComponent(ShardManifest.fileName)
    if OutputChecks.isOwnOutput(manifestPath) { try? FileManager.default.removeItem(atPath: manifestPath) }
    let summary = runBatch(files: files, configuration: configuration)
    if let (k, n) = batch.parsedShard {  // which inputs this shard held, for `exafs summary`
      let manifest = ShardManifest(files: allFiles, shard: k, of: n, hdf5: hdf5.map { shardRelativePath($0, outdir: outdir) })
      do { try AtomicWriter.write(manifest.text, to: manifestPath) } catch {
        printError("error: \((error as? EXAFSError)?.description ?? "\(error)")")
        throw ExitCode.failure
      }
    }
    let sig = StopSignals.current
    if sig != 0 {
      h5?.discard()
      printError(
        "interrupted by \(StopSignals.name(sig)): \(summary.outcomes.count) of \(files.count) input(s) done"
          + "\(summary.interrupted ? ", the rest not started" : ""); summary.csv lists them"
          + "\(athena != nil ? "; the Athena project was not written" : "")"
          + "\(h5 != nil ? "; the HDF5 file was not written" : "")")
      throw ExitCode(128 + sig)
    }
    if let h5 {
      do {
        let n = try h5.commit()
        print("HDF5: \(h5.path) (\(n) spectra)")
      } catch {
        printError("error: \((error as? EXAFSError)?.description ?? "\(error)")")
        throw ExitCode.failure
      }
    }
    if let athena {
      do {
        try AtomicWriter.write(try AthenaProject.write(groups: summary.athenaGroups), to: athena)
        print("Athena project: \(athena) (\(summary.athenaGroups.count) groups)")
      } catch {
        printError("error: \((error as? EXAFSError)?.description ?? "\(error)")")
        throw ExitCode.failure
      }
    }
    if !summary.failures.isEmpty { throw ExitCode.failure }
  }
}

/// Options for large batches: workers, sharding over machines.
struct BatchOptions: ParsableArguments {
  @Option(help: "Number of spectra processed at once (default: number of cores).")
  var jobs: Int?
  @Option(help: "Process only shard K of N (format K/N, 1-based): inputs whose position in the sorted list is K mod N; OUTDIR/shard.csv records them for exafs summary.")
  var shard: String?

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if shard != nil, parsedShard == nil {
      throw ValidationError("--shard must look like K/N with 1 <= K <= N, e.g. 3/16")
    }
  }

  var parsedShard: (k: Int, n: Int)? {
    guard let shard else { return nil }
    let parts = shard.split(separator: "/").compactMap { Int($0) }
    guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
    return (parts[0], parts[1])
  }

  /// The inputs of this shard (all of them without --shard).
  func select(_ files: [String]) -> [String] {
    guard let (k, n) = parsedShard else { return files }
    return files.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
  }
}

/// `path` relative to the folder `outdir` when it lies inside it, else absolute (a shard's HDF5 file
/// as recorded in shard.csv, found again from wherever `exafs summary` runs).
func shardRelativePath(_ path: String, outdir: String) -> String {
  func absolute(_ p: String) -> String {
    let full = p.hasPrefix("/") ? p : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p)
    return (full as NSString).standardizingPath
  }
  let file = absolute(path), folder = absolute(outdir)
  return file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file
}

/// Creates the output folder if needed.
func createDirectory(_ path: String) throws {
  do {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  } catch {
    throw ValidationError("cannot create output folder \(path): \(FoundationErrors.describe(error))")
  }
}

/// Writes a line to standard error.
func printError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
