// The command line's side of a batch: builds the library's `Batch`, shows progress, prints the result.
import EXAFSKit
import EXAFSPlot
import EXAFSReport
import Foundation

/// Wavelet map, hinge metrics, export and figures shared by every spectrum of a run.
struct MapSettings: Sendable {
  var wavelet: WaveletParameters?
  var hinge: HingeParameters?
  var export = WaveletExport()
  var plots = PlotOptions()
  /// Also write NAME.chiq, the back transform (`--back-transform`).
  var backTransform = false
  /// series.csv and its trend figure: true always (`--series`), false never (`--no-series`), nil
  /// with a report of at least `SeriesTable.automaticMinimum` spectra.
  var series: Bool?

  /// A batch configuration for `outdir` with these maps, the parameters given on the command line,
  /// and figures (plus the HTML report) when `plots.lineplots` is set.
  func configuration(outdir: String, readOptions: ReadOptions, given: ParameterValues, report: Bool) -> BatchConfiguration {
    var c = BatchConfiguration(outdir: outdir)
    c.readOptions = readOptions
    c.given = given
    c.wavelet = wavelet
    c.hinge = hinge
    c.waveletExport = export
    let backTransform = self.backTransform
    if backTransform { c.extraFiles = { [$0.chiqFile()] } }
    if plots.lineplots {
      var options = self.plots
      options.chiq = backTransform
      let plots = options
      c.extraFiles = { try (backTransform ? [$0.chiqFile()] : []) + $0.plotFiles(plots) }
      if report {
        c.report = { outcomes, series, dir in
          var page = HTMLReport.batch(entries: outcomes.map(ReportEntry.init))
          if let series {
            let figure = "\(SeriesTable.figureStem).\(plots.format.fileExtension)"
            let drawn = FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(figure))
            page.sections.append(series.reportSection(figure: drawn ? figure : nil))
          }
          return try page.write(toFolder: dir)
        }
      }
    }
    c.series = series
    if series != false {  // drawn only when series.csv is written: --series, or a report (--plot)
      let format = plots.format
      c.seriesFigures = { table, dir in try table.writeFigure(toFolder: dir, format: format).map { [$0] } ?? [] }
    }
    return c
  }
}

/// Runs a batch with a progress display and prints its summary; returns it.
func runBatch(files: [String], configuration: BatchConfiguration) -> BatchSummary {
  let progress = ProgressDisplay()
  var c = configuration
  c.events = { event in
    switch event {
    case .started(let total): progress.start(total: total)
    case .processed(let name, let source, let warnings):
      progress.message("ok: \(source): \(name)", quiet: true)
      for w in warnings { progress.message("warning: \(name): \(w)") }
    case .failed(let message): progress.message("error: \(message)")
    case .progress(let done): progress.update(done: done)
    case .finished: progress.finish()
    }
  }
  let summary = Batch(files: files, configuration: c).run()
  let temporaries = summary.removedStale.filter(OutputChecks.isTemporaryName)
  if !temporaries.isEmpty {
    printError("note: removed \(temporaries.count) stale temporary file(s) of an interrupted run from \(c.outdir)")
  }
  print("\(summary.successes) of \(summary.outcomes.count) spectra processed; outputs in \(c.outdir) (summary.csv)")
  if !summary.seriesPaths.isEmpty {
    print("series: \(summary.seriesPaths.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))"
      + (summary.series.map { " (\($0.axis == .elapsed ? "against time" : "against scan index"))" } ?? ""))
  }
  if let report = summary.reportPath { print("report: \(report)") }
  if !summary.failures.isEmpty {
    printError("\(summary.failures.count) failed:")
    for line in summary.failures { printError("  \(line)") }
  }
  return summary
}
