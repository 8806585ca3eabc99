// `exafs compare REF OTHER... -o OUTDIR`: pristine vs composite, as numbers with error bars.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import EXAFSReport
import Foundation

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Process a reference and other spectra with the same parameters and compare them.",
    discussion: """
      E0 is found for each spectrum (--e0-method), or with --e0 common taken from the reference \
      for all (so that E0 cannot follow the structure); every other parameter is shared. With \
      --stack or --offset the overlays separate their curves. Writes every spectrum's \
      outputs, difference spectra OTHER-minus-REF (.nor.diff, .chik.diff, .chir.diff), the wavelet \
      maps and their difference (.wavelet), comparison.csv, comparison.md, the figures and \
      index.html, a page with the comparison table, the overlays and every spectrum's figures.
      """)

  @Argument(help: "Reference spectrum (e.g. the pristine phase), then the spectra to compare with it.")
  var inputs: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @OptionGroup var input: InputOptions
  @OptionGroup var processing: ProcessingOptions
  @OptionGroup var waveletOptions: WaveletOptions
  @OptionGroup var hingeOptions: HingeOptions
  @OptionGroup var plotOptions: PlotCommandOptions

  func validate() throws {
    if inputs.count < 2 { throw ValidationError("give a reference and at least one spectrum to compare with it") }
    if waveletOptions.wavelet == WaveletChoice.none {
      throw ValidationError("compare needs a wavelet map; use --wavelet morlet or cauchy")
    }
  }

  func run() throws {
    try createDirectory(outdir)
    var spectra: [ProcessedSpectrum] = []
    var records: [SpectrumRecord] = []  // spectra[i]'s record, derived once
    var failed: [String] = []
    var entries: [ReportEntry] = []
    var names = Set<String>()
    let hinge = try hingeOptions.parameters()
    var mapParameters = waveletOptions.parameters(kweight: 2, hingeRequested: true)
    if mapParameters == nil { mapParameters = WaveletParameters() }
    let plots = plotOptions.options(always: true)
    let maps = MapSettings(wavelet: mapParameters, hinge: hinge, export: waveletOptions.export, plots: plots)
    var configuration = maps.configuration(
      outdir: outdir, readOptions: input.readOptions, given: processing.values, report: false)
    for (i, path) in inputs.enumerated() {
      do {
        let read = try SpectrumReader.read(path: path, options: input.readOptions)
        for item in (i == 0 ? Array(read.prefix(1)) : read) {
          // Shared parameters: the command line (and each file's stored ones); E0 per spectrum.
          var result = try process(item, settings: configuration.settings(for: item))
          result.name = Batch.uniqueName(result.name, &names)
          let record = result.record
          var files = try result.outputFiles(record: record)
          files.insert(contentsOf: try result.plotFiles(plots), at: files.count - 1)
          try Batch.writeAll(files, in: outdir)
          entries.append(ReportEntry(SpectrumOutcome(record: record, files: files.map(\.name))))
          spectra.append(result)
          records.append(record)
          print("ok: \(path): \(result.name)")
          if i == 0, processing.e0IsCommon, let e0 = result.normalized?.e0 {
            // Issue 17: one E0 for all, the reference's, so that E0 does not follow the structure.
            configuration.given["e0"] = String(e0)
            print("E0 = \(String(format: "%.2f", e0)) eV of \(result.name) is used for every spectrum (--e0 common)")
          }
        }
      } catch {
        let message = Batch.describeFailure(error, path: path, spectrum: nil)
        printError("error: \(message)")
        failed.append(message)
        entries.append(ReportEntry(failed: (path as NSString).lastPathComponent, source: path, message: message))
        if i == 0 {
          printError("the reference could not be processed; nothing to compare with")
          throw ExitCode.failure
        }
      }
    }
    guard let ref = spectra.first else { throw ExitCode.failure }
    let others = Array(spectra.dropFirst())
    for other in others {  // Issue 17: comparing across absorption edges is almost always a mistake.
      // With --e0 common every E0 is the reference's: judge the edge by each spectrum's own derivative maximum.
      let own = { (s: ProcessedSpectrum) -> Double? in
        s.normalized.map { processing.e0IsCommon ? findE0(energy: $0.spectrum.energy, mu: $0.spectrum.mu) : $0.e0 }
      }
      if let a = own(ref), let b = own(other),
        let w = edgeMismatchWarning(reference: ref.name, referenceE0: a, other: other.name, otherE0: b)
      { printError("warning: \(w)") }
    }
    let report = try writeComparison(ref: ref, others: others, records: records, hinge: hinge, entries: entries)
    print("\(others.count) spectra compared with \(ref.name); outputs in \(outdir) (comparison.md, comparison.csv)")
    print("report: \(report)")
    if !failed.isEmpty {
      printError("\(failed.count) failed:")
      for line in failed { printError("  \(line)") }
      throw ExitCode.failure
    }
  }

  /// Writes the differences, figures, tables and index.html; returns the path of index.html.
  private func writeComparison(
    ref: ProcessedSpectrum, others: [ProcessedSpectrum], records: [SpectrumRecord], hinge: HingeParameters?,
    entries: [ReportEntry]
  ) throws -> String {
    func path(_ name: String) -> String { (outdir as NSString).appendingPathComponent(name) }
    var figureFiles: [String] = []
    var dataFiles: [String] = []
    for other in others {
      let stem = "\(other.name)-minus-\(ref.name)"
      let header = ["EXAFSKit \(exafsKitVersion): \(other.name) minus \(ref.name)"]
      var diffs: [(String, DifferenceSpectrum)] = [
        ("chik.diff", Comparison.kwchiDifference(ref, other)), ("chir.diff", Comparison.chirDifference(ref, other)),
      ]
      if let nor = Comparison.normDifference(ref, other) { diffs.insert(("nor.diff", nor), at: 0) }
      for (ext, d) in diffs {
        let text = ColumnFileWriter.format(
          header: header, names: d.names, columns: [d.x, d.reference, d.other, d.difference])
        try AtomicWriter.write(text, to: path("\(stem).\(ext)"))
        dataFiles.append("\(stem).\(ext)")
      }
      if let a = ref.wavelet, let b = other.wavelet, let diff = Comparison.waveletDifference(a, b) {
        let text = diff.gridText(
          format: waveletOptions.export.format, part: .re,
          title: "EXAFSKit \(exafsKitVersion): |W| of \(other.name) minus |W| of \(ref.name)")
        try AtomicWriter.write(text, to: path("\(stem).wavelet"))
        dataFiles.append("\(stem).wavelet")
      }
    }
    for (file, figure) in Comparison.figures(reference: ref, others: others, spacing: plotOptions.spacing) {
      try PlotRenderer.write(figure, to: path("\(file).\(plotOptions.options().format.rawValue)"), format: plotOptions.options().format)
      figureFiles.append("\(file).\(plotOptions.options().format.rawValue)")
    }
    let rows = Comparison.rows(reference: records[0], others: Array(records.dropFirst()))
    var notes = [
      processing.e0IsCommon
        ? "All spectra processed with the same parameters, E0 included: the reference's (--e0 common)."
        : "All spectra processed with the same parameters; E0 found for each spectrum.",
      "Significant: the hinge-ratio change exceeds 2 combined standard uncertainties (noise propagated by Monte Carlo).",
    ]
    if let hinge {
      notes.append("Hinge windows: first shell \(hinge.shell1), hinge \(hinge.hinge)" + (hinge.preset.map { " (preset \($0))" } ?? "") + ".")
    } else {
      notes.append("No hinge windows given (--hinge tacl6 or --shell1-window/--hinge-window): hinge columns are empty.")
    }
    try AtomicWriter.write(Comparison.csv(rows), to: path("comparison.csv"))
    try AtomicWriter.write(
      Comparison.markdown(rows, title: "Comparison with \(ref.name)", notes: notes), to: path("comparison.md"))
    let comparison = ComparisonReport(
      reference: ref.name, others: others.map(\.name), rows: rows, notes: notes, figures: figureFiles,
      dataFiles: ["comparison.csv", "comparison.md"] + dataFiles)
    return try HTMLReport.comparison(comparison, entries: entries).write(toFolder: outdir)
  }
}
