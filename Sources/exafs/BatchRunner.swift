// Runs the pipeline over many inputs on all cores, streaming: each spectrum is read, processed,
// written and dropped; only one summary row per spectrum is kept.
import EXAFSKit
import Foundation
import Synchronization

/// Wavelet map, hinge metrics and export settings shared by every spectrum of a run.
struct MapSettings: Sendable {
  var wavelet: WaveletParameters?
  var hinge: HingeParameters?
  var export = WaveletExport()
  var plots = PlotOptions()
  /// FEFF path whose phase is removed from chi(R) (`--phase-correct`), nil for the plain transform.
  var phasePath: FeffPath? = nil

  /// Settings for one spectrum: its stored (Athena) parameters, overridden by the command line,
  /// plus these map settings.
  func settings(for input: SpectrumInput, commandLine: ParameterValues) throws -> ProcessingSettings {
    var settings = try ProcessingSettings.resolve(stored: input.storedParameters, commandLine: commandLine)
    apply(to: &settings)
    return settings
  }

  /// Adds these to settings resolved for one spectrum; the map uses the FT's k-weight.
  func apply(to settings: inout ProcessingSettings) {
    settings.wavelet = wavelet.map { w in
      var w = w
      w.kweight = settings.fourier.kweight
      return w
    }
    settings.hinge = hinge
    settings.waveletExport = export
    settings.plots = plots
  }
}

/// What a batch produced.
struct BatchSummary {
  var successes: Int
  var failures: Int
  var athenaGroups: [AthenaGroup]
}

/// One row of summary.csv.
struct SummaryRow: Sendable {
  var order: (file: Int, spectrum: Int)
  var name: String
  var source: String
  var e0: Double?
  var edgeStep: Double?
  var kmax: Double?
  var shellR: Double?
  var shellMag: Double?
  var hingeRatio: Double?
  var hingeUncertainty: Double?
  var status: String
  var message: String
  /// What index.html shows for this spectrum (kept only when the report is written).
  var report: ReportEntry? = nil
}

final class BatchRunner: Sendable {
  let files: [String]
  let outdir: String
  let readOptions: ReadOptions
  let commandLine: ParameterValues
  let maps: MapSettings
  let workers: Int
  let collectAthena: Bool
  private let state = Mutex<State>(State())

  private struct State {
    var next = 0
    var done = 0
    var rows: [SummaryRow] = []
    var failed: [String] = []
    var names: Set<String> = []
    var athena: [(Int, Int, AthenaGroup)] = []
  }

  init(
    files: [String], outdir: String, readOptions: ReadOptions, commandLine: ParameterValues, maps: MapSettings,
    jobs: Int?, collectAthena: Bool
  ) {
    self.maps = maps
    self.files = files
    self.outdir = outdir
    self.readOptions = readOptions
    self.commandLine = commandLine
    self.workers = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    self.collectAthena = collectAthena
  }

  private let progress = ProgressDisplay()

  func run() -> BatchSummary {
    progress.start(total: files.count)
    DispatchQueue.concurrentPerform(iterations: min(workers, max(files.count, 1))) { _ in
      while let index = nextIndex() { handle(fileIndex: index) }
    }
    return finish()
  }

  private func nextIndex() -> Int? {
    state.withLock { s in
      guard s.next < files.count else { return nil }
      defer { s.next += 1 }
      return s.next
    }
  }

  private func handle(fileIndex: Int) {
    let path = files[fileIndex]
    let spectra: [SpectrumInput]
    do {
      spectra = try SpectrumReader.read(path: path, options: readOptions)
    } catch {
      let message = describe(error, path: path, spectrum: nil)
      record(
        SummaryRow(
          order: (fileIndex, 0), name: (path as NSString).lastPathComponent, source: path, status: "failed",
          message: message), error: message)
      fileDone()
      return
    }
    for (i, spectrum) in spectra.enumerated() {
      do {
        var result = try process(spectrum, settings: maps.settings(for: spectrum, commandLine: commandLine))
        if let phase = maps.phasePath {
          result.chir = phaseCorrected(k: result.chik.k, chi: result.chik.chi, path: phase, parameters: result.chir.parameters)
          result.notes.append("chi(R) is phase-corrected with \(phase.file.source) (\(phase.file.label))")
        }
        let name = state.withLock { s in uniqueName(result.name, &s.names) }
        result.name = name
        let files = try result.outputFiles()
        try writeAll(files, in: outdir)
        let shell = result.summary.first_shell
        record(
          SummaryRow(
            order: (fileIndex, i), name: name, source: path, e0: result.normalized?.e0,
            edgeStep: result.normalized?.edgeStep, kmax: result.chik.k.last, shellR: shell?["r"],
            shellMag: shell?["mag"], hingeRatio: result.hinge?.ratio, hingeUncertainty: result.hinge?.uncertainty,
            status: "ok", message: result.warnings.joined(separator: "; "),
            report: maps.plots.lineplots ? ReportEntry(summary: result.summary, files: files.map(\.name)) : nil),
          error: nil, warnings: result.warnings, athena: collectAthena ? result.athenaGroup : nil)
      } catch {
        let message = describe(error, path: path, spectrum: spectra.count > 1 ? spectrum.name : nil)
        record(
          SummaryRow(order: (fileIndex, i), name: spectrum.name, source: path, status: "failed", message: message),
          error: message)
      }
    }
    fileDone()
  }

  private func describe(_ error: any Error, path: String, spectrum: String?) -> String {
    describeFailure(error, path: path, spectrum: spectrum)
  }

  private func record(_ row: SummaryRow, error: String?, warnings: [String] = [], athena: AthenaGroup? = nil) {
    state.withLock { s in
      s.rows.append(row)
      if let error {
        s.failed.append(error)
        progress.message("error: \(error)")
      } else {
        progress.message("ok: \(row.source): \(row.name)", quiet: true)
        for w in warnings { progress.message("warning: \(row.name): \(w)") }
      }
      if let athena { s.athena.append((row.order.file, row.order.spectrum, athena)) }
    }
  }

  private func fileDone() {
    let done = state.withLock { s in
      s.done += 1
      return s.done
    }
    progress.update(done: done)
  }

  private func finish() -> BatchSummary {
    progress.finish()
    return state.withLock { s in
      s.rows.sort { ($0.order.file, $0.order.spectrum) < ($1.order.file, $1.order.spectrum) }
      let csvPath = (outdir as NSString).appendingPathComponent("summary.csv")
      do {
        try AtomicWriter.write(summaryCSV(s.rows), to: csvPath)
      } catch {
        s.failed.append((error as? EXAFSError)?.description ?? "\(error)")
      }
      var report: String?
      if maps.plots.lineplots {  // index.html with every spectrum's figures (exafs process --plot)
        let entries = s.rows.map { $0.report ?? ReportEntry(failed: $0.name, source: $0.source, message: $0.message) }
        do {
          report = try HTMLReport.batch(entries: entries).write(toFolder: outdir)
        } catch {
          s.failed.append((error as? EXAFSError)?.description ?? "\(error)")
        }
      }
      let ok = s.rows.filter { $0.status == "ok" }.count
      print("\(ok) of \(s.rows.count) spectra processed; outputs in \(outdir) (summary.csv)")
      if let report { print("report: \(report)") }
      if !s.failed.isEmpty {
        printError("\(s.failed.count) failed:")
        for line in s.failed { printError("  \(line)") }
      }
      let groups = s.athena.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
      return BatchSummary(successes: ok, failures: s.failed.count, athenaGroups: groups)
    }
  }
}

/// summary.csv: one row per spectrum, RFC 4180 quoting.
func summaryCSV(_ rows: [SummaryRow]) -> String {
  func num(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "" }
  var lines = ["name,source,e0,edge_step,kmax,first_shell_r,first_shell_mag,hinge_ratio,hinge_uncertainty,status,message"]
  for r in rows {
    lines.append(
      [csvQuote(r.name), csvQuote(r.source), num(r.e0), num(r.edgeStep), num(r.kmax), num(r.shellR), num(r.shellMag),
       num(r.hingeRatio), num(r.hingeUncertainty), r.status, csvQuote(r.message)].joined(separator: ","))
  }
  return lines.joined(separator: "\n") + "\n"
}

/// A name not used yet in this run (NAME, NAME_2, NAME_3 ...).
func uniqueName(_ name: String, _ used: inout Set<String>) -> String {
  var candidate = name
  var n = 2
  while used.contains(candidate) {
    candidate = "\(name)_\(n)"
    n += 1
  }
  used.insert(candidate)
  return candidate
}

/// Writes every file of one spectrum atomically; on failure removes those already written.
func writeAll(_ files: [(name: String, contents: Data)], in dir: String) throws {
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
func describeFailure(_ error: any Error, path: String, spectrum: String?) -> String {
  let where_ = spectrum.map { "\(path) [\($0)]" } ?? path
  guard let e = error as? EXAFSError else { return "\(where_): \(error)" }
  return e.location == nil ? "\(where_): \(e.description)" : e.description
}
