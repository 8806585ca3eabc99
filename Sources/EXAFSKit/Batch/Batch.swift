// Batch: the pipeline over many inputs on all cores, streaming (each spectrum is read, processed,
// written and dropped), with unique output names, summary.csv and an optional report.
import Foundation
import Synchronization

/// What a batch does with every spectrum: the parameters, the maps, the outputs.
public struct BatchConfiguration: Sendable {
  /// Output folder (must exist).
  public var outdir: String
  /// What to read from each input.
  public var readOptions = ReadOptions()
  /// Parameter values by Larch name (e.g. from the command line); they override stored ones.
  public var given: ParameterValues = [:]
  /// Wavelet map to compute (nil: none); its k-weight follows each spectrum's FT k-weight.
  public var wavelet: WaveletParameters?
  /// Hinge metrics to compute (nil: none).
  public var hinge: HingeParameters?
  /// How the wavelet map is exported.
  public var waveletExport = WaveletExport()
  /// Spectra processed at once (nil: one per core).
  public var jobs: Int?
  /// Keep every processed group as an `AthenaGroup` (for writing a project).
  public var collectAthena = false
  /// A FEFF path whose phase is removed before the transform (`phaseCorrected`), nil: none.
  public var phaseCorrection: FeffPath?
  /// Extra files per spectrum (e.g. figures), written with its data files.
  public var extraFiles: (@Sendable (ProcessedSpectrum) throws -> [OutputFile])?
  /// Writes a report of the whole batch into the output folder and returns its path (called at
  /// the end when set; `outcomes` then carry their records; `series` is the table of series.csv
  /// when one was written, its figures already drawn).
  public var report: (@Sendable (_ outcomes: [SpectrumOutcome], _ series: SeriesTable?, _ outdir: String) throws -> String)?
  /// Whether series.csv (`SeriesTable`) is written at the end: true always, false never, nil when a
  /// report is written and the batch has at least `SeriesTable.automaticMinimum` spectra.
  public var series: Bool?
  /// Draws the series' figures into the output folder and returns their file names (called after
  /// series.csv is written, before the report).
  public var seriesFigures: (@Sendable (_ series: SeriesTable, _ outdir: String) throws -> [String])?
  /// Receives every spectrum once its files are written, from any worker thread (e.g. to add it to
  /// one HDF5 file per batch). When it throws, the spectrum's files are removed and it fails.
  public var spectrumSink: (@Sendable (ProcessedSpectrum, SpectrumRecord) throws -> Void)?
  /// Called for every event, from any worker thread.
  public var events: (@Sendable (BatchEvent) -> Void)?
  /// Asked before every spectrum starts; true stops the batch (e.g. after a signal): the spectra in
  /// flight are finished, no new one starts, summary.csv lists what was done.
  public var shouldStop: (@Sendable () -> Bool)?

  public init(outdir: String) { self.outdir = outdir }

  /// Whether a batch of `count` spectra writes series.csv (see `series`).
  public func writesSeries(spectra count: Int) -> Bool {
    SeriesTable.isWritten(option: series, report: report != nil, spectra: count)
  }

  /// The settings for one spectrum: its stored (Athena) parameters, overridden by `given`, plus the
  /// map settings (the map uses the FT's k-weight).
  /// - Throws: `EXAFSError.invalidParameter` naming the parameter.
  public func settings(for input: SpectrumInput) throws -> ProcessingSettings {
    var settings = try ProcessingSettings.resolve(stored: input.storedParameters, given: given)
    settings.wavelet = wavelet.map { w in
      var w = w
      w.kweight = settings.fourier.kweight
      return w
    }
    settings.hinge = hinge
    settings.waveletExport = waveletExport
    try settings.validate()
    return settings
  }
}

/// Something that happened in a batch, for progress displays.
public enum BatchEvent: Sendable {
  /// The batch starts on `total` input files.
  case started(total: Int)
  /// A spectrum was processed and written; its warnings.
  case processed(name: String, source: String, warnings: [String])
  /// A spectrum or input failed; the message names the file (and group).
  case failed(message: String)
  /// `done` of the input files are finished.
  case progress(done: Int)
  /// The batch is over.
  case finished
}

/// The outcome of one spectrum (or of an input that could not be read).
public struct SpectrumOutcome: Sendable, Equatable {
  /// Whether the spectrum was processed.
  public enum Status: String, Sendable, Codable {
    case ok
    case failed
  }

  /// Output name (file stem or group label).
  public var name: String
  /// Input file.
  public var source: String
  public var status: Status
  /// Why processing failed (for `.failed`).
  public var message: String?
  /// The result record (for `.ok`; kept in a batch only when it writes a report).
  public var record: SpectrumRecord?
  /// Names of the files written, relative to the output folder.
  public var files: [String]
  /// The spectrum's row of `summary.csv`.
  public var csvRow: String
  /// Its row of series.csv, kept instead of the record when a batch writes series.csv but no report
  /// (a few numbers rather than the whole record); the index is set when the table is made.
  public var seriesRow: SeriesRow?

  /// The outcome of a processed spectrum.
  public init(record: SpectrumRecord, files: [String], keepRecord: Bool = true) {
    name = record.name
    source = record.source
    status = .ok
    self.record = keepRecord ? record : nil
    self.files = files
    csvRow = record.csvRow
  }

  /// The outcome of a spectrum or input that failed.
  public init(failed name: String, source: String, message: String) {
    self.name = name
    self.source = source
    status = .failed
    self.message = message
    files = []
    csvRow = SpectrumRecord.csvRow(failed: name, source: source, message: message)
  }
}

/// What a batch produced.
public struct BatchSummary: Sendable {
  /// One outcome per spectrum (or unreadable input), in input order.
  public var outcomes: [SpectrumOutcome]
  /// Messages of everything that failed (spectra, summary.csv, the report).
  public var failures: [String]
  /// The processed groups, in input order (with `collectAthena`).
  public var athenaGroups: [AthenaGroup]
  /// Path of summary.csv, and of the report when one was written.
  public var summaryPath: String
  public var reportPath: String?
  /// The series (with `BatchConfiguration.series`), and the paths of series.csv and its figures.
  public var series: SeriesTable?
  public var seriesPaths: [String] = []
  /// True when `shouldStop` ended the batch before every input was done.
  public var interrupted = false
  /// Our stale temporaries and outputs removed from the output folder before the run.
  public var removedStale: [String] = []
  /// Number of spectra processed.
  public var successes: Int { outcomes.filter { $0.status == .ok }.count }
}

/// Runs the pipeline over input files on several cores.
///
/// Spectra are named after their file stem or group label, made unique within the run (NAME,
/// NAME_2 ...). Every spectrum's files are written atomically, and a spectrum that fails leaves
/// none; `summary.csv` lists every spectrum in input order.
public final class Batch: Sendable {
  public let files: [String]
  public let configuration: BatchConfiguration
  let state = Mutex<State>(State())

  struct State {
    var next = 0
    var done = 0
    var outcomes: [(order: (Int, Int), outcome: SpectrumOutcome)] = []
    var failed: [String] = []
    var names: Set<String> = []
    var athena: [(order: (Int, Int), group: AthenaGroup)] = []
    var stopped = false
    var removedStale: [String] = []
    /// The names in the output folder when the run started (after stale temporaries were
    /// removed); nil when it could not be listed. A previous run's outputs can only be among
    /// them, so names not in it need no look-up (6 failing `stat`s per spectrum in a fresh folder).
    var preexisting: Set<String>? = nil
  }

  public init(files: [String], configuration: BatchConfiguration) {
    self.files = files
    self.configuration = configuration
  }

  /// Processes every file and writes summary.csv (and the report); returns what was done.
  public func run() -> BatchSummary {
    let (stale, remaining) = prepareOutputFolder()
    state.withLock {
      $0.removedStale = stale
      $0.preexisting = remaining
    }
    configuration.events?(.started(total: files.count))
    let workers = max(1, configuration.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    DispatchQueue.concurrentPerform(iterations: min(workers, max(files.count, 1))) { _ in
      while let index = nextIndex() { handle(fileIndex: index) }
    }
    configuration.events?(.finished)
    return finish()
  }

  private func nextIndex() -> Int? {
    state.withLock { s in
      guard s.next < files.count else { return nil }
      if configuration.shouldStop?() == true {
        s.stopped = true
        return nil
      }
      defer { s.next += 1 }
      return s.next
    }
  }

  private func handle(fileIndex: Int) {
    let path = files[fileIndex]
    let c = configuration
    let entries: [Result<SpectrumInput, SpectrumReadFailure>]
    do {
      entries = try SpectrumReader.readEach(path: path, options: c.readOptions)
    } catch {
      let message = Self.describeFailure(error, path: path, spectrum: nil)
      clearStaleOutputs(ofFailed: ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
      record(SpectrumOutcome(failed: (path as NSString).lastPathComponent, source: path, message: message), (fileIndex, 0))
      fileDone()
      return
    }
    for (i, entry) in entries.enumerated() {
      if i > 0, configuration.shouldStop?() == true {  // no new group of a project starts either
        state.withLock { $0.stopped = true }
        break
      }
      let spectrum: SpectrumInput
      switch entry {
      case .success(let input): spectrum = input
      case .failure(let failure):  // one bad project group (or SPEC scan) fails alone
        let message =
          failure.error.location == nil
          ? Self.describeFailure(failure.error, path: path, spectrum: failure.label) : failure.description
        clearStaleOutputs(ofFailed: failure.name)
        record(SpectrumOutcome(failed: failure.name, source: path, message: message), (fileIndex, i))
        continue
      }
      do {
        var result = try process(spectrum, settings: c.settings(for: spectrum))
        if let path = c.phaseCorrection { result.phaseCorrect(with: path) }
        result.name = claimName(result.name)
        let spectrumRecord = result.record
        var outputs = try result.outputFiles(record: spectrumRecord)
        if let extra = c.extraFiles { outputs.insert(contentsOf: try extra(result), at: max(0, outputs.count - 1)) }
        try Self.writeAll(outputs, in: c.outdir)
        if let sink = c.spectrumSink {
          do { try sink(result, spectrumRecord) } catch {
            for file in outputs { try? FileManager.default.removeItem(atPath: (c.outdir as NSString).appendingPathComponent(file.name)) }
            throw error
          }
        }
        var outcome = SpectrumOutcome(record: spectrumRecord, files: outputs.map(\.name), keepRecord: c.report != nil)
        if c.report == nil, c.series == true { outcome.seriesRow = SeriesRow(index: 0, record: spectrumRecord) }
        record(outcome, (fileIndex, i), warnings: result.warnings, athena: c.collectAthena ? result.athenaGroup : nil)
      } catch {
        let message = Self.describeFailure(error, path: path, spectrum: entries.count > 1 ? spectrum.name : nil)
        clearStaleOutputs(ofFailed: spectrum.name)
        record(SpectrumOutcome(failed: spectrum.name, source: path, message: message), (fileIndex, i))
      }
    }
    fileDone()
  }

  private func record(
    _ outcome: SpectrumOutcome, _ order: (Int, Int), warnings: [String] = [], athena: AthenaGroup? = nil
  ) {
    state.withLock { s in
      s.outcomes.append((order, outcome))
      if let athena { s.athena.append((order, athena)) }
      if outcome.status == .failed { s.failed.append(outcome.message ?? outcome.name) }
    }
    if outcome.status == .failed {
      configuration.events?(.failed(message: outcome.message ?? outcome.name))
    } else {
      configuration.events?(.processed(name: outcome.name, source: outcome.source, warnings: warnings))
    }
  }

  private func fileDone() {
    let done = state.withLock { s in
      s.done += 1
      return s.done
    }
    configuration.events?(.progress(done: done))
  }

  private func finish() -> BatchSummary {
    state.withLock { s in
      let outcomes = s.outcomes.sorted { $0.order < $1.order }.map(\.outcome)
      let csvPath = (configuration.outdir as NSString).appendingPathComponent("summary.csv")
      do {
        try AtomicWriter.write(Self.summaryCSV(outcomes), to: csvPath)
      } catch {
        s.failed.append((error as? EXAFSError)?.description ?? "\(error)")
      }
      let (series, seriesPaths) = writeSeries(outcomes, failures: &s.failed)
      var reportPath: String?
      if let report = configuration.report {
        do { reportPath = try report(outcomes, series, configuration.outdir) } catch {
          s.failed.append((error as? EXAFSError)?.description ?? "\(error)")
        }
      }
      let groups = s.athena.sorted { $0.order < $1.order }.map(\.group)
      var summary = BatchSummary(
        outcomes: outcomes, failures: s.failed, athenaGroups: groups, summaryPath: csvPath, reportPath: reportPath)
      summary.interrupted = s.stopped
      summary.series = series
      summary.seriesPaths = seriesPaths
      summary.removedStale = s.removedStale
      return summary
    }
  }
}

extension Batch {
  /// Writes series.csv (with the trans angles of NAME.octahedron.json files in the output folder)
  /// and its figures when the configuration asks for them; failures are added to `failures`.
  func writeSeries(_ outcomes: [SpectrumOutcome], failures: inout [String]) -> (SeriesTable?, [String]) {
    guard configuration.writesSeries(spectra: outcomes.count) else { return (nil, []) }
    var table = SeriesTable(outcomes: outcomes)
    table.addTransAngles(fromFolder: configuration.outdir)
    var paths: [String] = []
    do {
      paths.append(try table.write(toFolder: configuration.outdir))
      if let figures = configuration.seriesFigures {
        paths += try figures(table, configuration.outdir).map { (configuration.outdir as NSString).appendingPathComponent($0) }
      }
    } catch {
      failures.append((error as? EXAFSError)?.description ?? "\(error)")
    }
    return (table, paths)
  }

  /// summary.csv: the header and one row per outcome.
  public static func summaryCSV(_ outcomes: [SpectrumOutcome]) -> String {
    ([SpectrumRecord.csvHeader] + outcomes.map(\.csvRow)).joined(separator: "\n") + "\n"
  }

  /// A name not used yet in this run (NAME, NAME_2, NAME_3 ...).
  public static func uniqueName(_ name: String, _ used: inout Set<String>) -> String {
    var candidate = name
    var n = 2
    while used.contains(candidate) {
      candidate = "\(name)_\(n)"
      n += 1
    }
    used.insert(candidate)
    return candidate
  }

  /// Writes every file of one spectrum atomically into `dir`; on failure removes those already
  /// written, so a spectrum leaves all of its files or none.
  public static func writeAll(_ files: [OutputFile], in dir: String) throws {
    var written: [String] = []
    do {
      for file in files {
        let path = (dir as NSString).appendingPathComponent(file.name)
        try AtomicWriter.write(file.contents, to: path)
        written.append(path)
      }
    } catch {
      for path in written { try? FileManager.default.removeItem(atPath: path) }
      throw error
    }
  }

  /// The message for a failed input: errors that carry a file location name it themselves; the
  /// others (parameters, numerical failures) get the input's path (and group) in front.
  public static func describeFailure(_ error: any Error, path: String, spectrum: String?) -> String {
    let where_ = spectrum.map { "\(path) [\($0)]" } ?? path
    guard let e = error as? EXAFSError else { return "\(where_): \(FoundationErrors.describe(error))" }
    return e.location == nil ? "\(where_): \(e.description)" : e.description
  }

  /// Files named by `inputs`, with folders replaced by their (non-hidden) files that may be
  /// spectra, sorted; documentation and our own outputs in folders are skipped, and so are
  /// subfolders, which `note` is told about (they are not searched).
  public static func expandInputs(_ inputs: [String], note: ((String) -> Void)? = nil) -> [String] {
    var out: [String] = []
    let fm = FileManager.default
    for path in inputs {
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
        let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        var subfolders: [String] = []
        var ours = 0
        for entry in entries.sorted() where !entry.hasPrefix(".") && !skippedInFolders(entry) {
          let full = (path as NSString).appendingPathComponent(entry)
          switch OutputChecks.classify(full) {
          case .missing: break
          case .folder: subfolders.append(entry)
          case .ownOutput: ours += 1  // written by exafs (header line "EXAFSKit <version>:"), not a spectrum
          case .other: out.append(full)
          }
        }
        if ours > 0 { note?("\(path): \(ours) file(s) written by exafs skipped (they are outputs, not spectra)") }
        if !subfolders.isEmpty {
          note?("\(path): \(subfolders.count) subfolder(s) not searched (\(subfolders.joined(separator: ", "))); name them to process them")
        }
      } else {
        out.append(path)
      }
    }
    return out
  }

  /// Files in an input folder that are documentation or our own outputs, not spectra.
  static func skippedInFolders(_ name: String) -> Bool {
    let ext = (name as NSString).pathExtension.lowercased()
    return ["md", "json", "png", "svg", "pdf", "html", "py", "nor", "chir", "wavelet"].contains(ext)
      || name.lowercased().hasPrefix("readme") || ["summary.csv", "comparison.csv", SeriesTable.fileName].contains(name.lowercased())
  }
}
