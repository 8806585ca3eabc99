// `exafs compare REF OTHER... -o OUTDIR`: pristine vs composite, as numbers with error bars.
import ArgumentParser
import EXAFSKit
import Foundation

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Process a reference and other spectra with the same parameters and compare them.",
    discussion: """
      E0 is found for each spectrum; every other parameter is shared. Writes every spectrum's \
      outputs, difference spectra OTHER-minus-REF (.nor.diff, .chik.diff, .chir.diff), the wavelet \
      maps and their difference (.wavelet), comparison.csv and comparison.md.
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
    if waveletOptions.wavelet?.lowercased() == "none" {
      throw ValidationError("compare needs a wavelet map; use --wavelet morlet or cauchy")
    }
  }

  func run() throws {
    try createDirectory(outdir)
    var spectra: [ProcessedSpectrum] = []
    var failed: [String] = []
    var names = Set<String>()
    let hinge = try hingeOptions.parameters()
    var mapParameters = waveletOptions.parameters(kweight: 2, hingeRequested: true)
    if mapParameters == nil { mapParameters = WaveletParameters() }
    let maps = MapSettings(
      wavelet: mapParameters, hinge: hinge, export: waveletOptions.export, plots: plotOptions.options(always: true))
    for (i, path) in inputs.enumerated() {
      do {
        let read = try SpectrumReader.read(path: path, options: input.readOptions)
        for item in (i == 0 ? Array(read.prefix(1)) : read) {
          let stored: [String: String]
          switch item {
          case .mu(let s): stored = s.storedParameters
          case .chi(let c): stored = c.storedParameters
          }
          // Shared parameters: the command line (and each file's stored ones); E0 per spectrum.
          var settings = try ProcessingSettings.resolve(stored: stored, commandLine: processing.values)
          maps.apply(to: &settings)
          var result = try process(item, settings: settings)
          result.name = uniqueName(result.name, &names)
          try writeAll(result.outputFiles(), in: outdir)
          spectra.append(result)
          print("ok: \(path): \(result.name)")
        }
      } catch {
        let message = (error as? EXAFSError)?.description ?? "\(path): \(error)"
        printError("error: \(message)")
        failed.append(message)
        if i == 0 {
          printError("the reference could not be processed; nothing to compare with")
          throw ExitCode.failure
        }
      }
    }
    guard let ref = spectra.first else { throw ExitCode.failure }
    let others = Array(spectra.dropFirst())
    try writeComparison(ref: ref, others: others, hinge: hinge)
    print("\(others.count) spectra compared with \(ref.name); outputs in \(outdir) (comparison.md, comparison.csv)")
    if !failed.isEmpty {
      printError("\(failed.count) failed:")
      for line in failed { printError("  \(line)") }
      throw ExitCode.failure
    }
  }

  private func writeComparison(ref: ProcessedSpectrum, others: [ProcessedSpectrum], hinge: HingeParameters?) throws {
    func path(_ name: String) -> String { (outdir as NSString).appendingPathComponent(name) }
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
      }
      if let a = ref.wavelet, let b = other.wavelet, let diff = Comparison.waveletDifference(a, b) {
        let text = diff.gridText(
          format: waveletOptions.export.format, part: .re,
          title: "EXAFSKit \(exafsKitVersion): |W| of \(other.name) minus |W| of \(ref.name)")
        try AtomicWriter.write(text, to: path("\(stem).wavelet"))
      }
    }
    for (file, figure) in Comparison.figures(reference: ref, others: others) {
      try PlotRenderer.write(figure, to: path("\(file).\(plotOptions.options().format.rawValue)"), format: plotOptions.options().format)
    }
    let rows = Comparison.rows(reference: ref, others: others)
    var notes = [
      "All spectra processed with the same parameters; E0 found for each spectrum.",
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
  }
}
