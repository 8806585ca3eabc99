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
      maps and their difference (.wavelet), comparison.csv, comparison.md, comparison.json, the \
      figures and index.html, a page with the comparison table, the overlays and every spectrum's \
      figures. --sample NAME=SCAN1,SCAN2,... gives a sample as repeated scans: its hinge ratio (and \
      angle) is the mean over the scans, with the scans' standard deviation and standard error, and \
      the change is judged with the standard error. --octahedron also fits the trans angle of every \
      scan (as `exafs octahedron`, writing NAME.octahedron.json) and compares the angles. \
      Docs/hinge-metrics.md, Docs/distortion.md.
      """)

  @Argument(help: "Reference spectrum (e.g. the pristine phase), then the spectra to compare with it.")
  var inputs: [String] = []
  @Option(
    name: .customLong("sample"),
    help: ArgumentHelp(
      "A sample measured in repeated scans, NAME=FILE1,FILE2,... (repeatable). Samples follow the positional files; the first sample is the reference.",
      valueName: "name=files"))
  var samples: [String] = []
  @Flag(help: "Also fit the trans X-M-X angle of every scan (needs --absorber and --ligand; see `exafs octahedron`).")
  var octahedron = false
  @OptionGroup(title: "Octahedron fit (with --octahedron)") var octahedronModel: OctahedronModelOptions
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @OptionGroup var input: InputOptions
  @OptionGroup var processing: ProcessingOptions
  @OptionGroup var waveletOptions: WaveletOptions
  @OptionGroup var hingeOptions: HingeOptions
  @OptionGroup var plotOptions: PlotCommandOptions

  func validate() throws {
    let groups = try sampleGroups()
    if inputs.count + groups.count < 2 {
      throw ValidationError("give a reference and at least one spectrum (or --sample) to compare with it")
    }
    try octahedronModel.check(required: octahedron, command: "compare --octahedron")
    if waveletOptions.wavelet == WaveletChoice.none {
      throw ValidationError("compare needs a wavelet map; use --wavelet morlet or cauchy")
    }
  }

  /// The --sample values as (name, files).
  func sampleGroups() throws -> [(name: String, files: [String])] {
    try samples.map { text in
      guard let eq = text.firstIndex(of: "=") else {
        throw ValidationError("--sample '\(text)': expected NAME=FILE1,FILE2,...")
      }
      let name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
      let files = text[text.index(after: eq)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
      guard !name.isEmpty, !files.isEmpty else { throw ValidationError("--sample '\(text)': needs a name and at least one file") }
      guard SpectrumReader.fileSafeName(name) == name else {
        throw ValidationError("--sample '\(text)': the name must be usable as a file name (letters, digits, -, _, .)")
      }
      return (name, files)
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
    // Samples: each positional file (the reference: its first spectrum; others: every spectrum, one
    // sample each), then each --sample group (every spectrum of its files is one scan).
    struct Sample {
      var name: String?
      var files: [String]
      var isGroup: Bool
      var scans: [Int] = []  // indices into spectra
    }
    var plan = inputs.map { Sample(name: nil, files: [$0], isGroup: false) }
    plan += try sampleGroups().map { Sample(name: $0.name, files: $0.files, isGroup: true) }
    var done: [Sample] = []
    for (i, sample) in plan.enumerated() {
      var current = sample
      for path in sample.files {
        do {
          let read = try SpectrumReader.read(path: path, options: input.readOptions)
          for item in (i == 0 && !sample.isGroup ? Array(read.prefix(1)) : read) {
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
            print("ok: \(path): \(result.name)" + (sample.name.map { " (sample \($0))" } ?? ""))
            if sample.isGroup {
              current.scans.append(spectra.count - 1)
            } else {
              done.append(Sample(name: result.name, files: [path], isGroup: false, scans: [spectra.count - 1]))
            }
            if spectra.count == 1, processing.e0IsCommon, let e0 = result.normalized?.e0 {
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
        }
      }
      if sample.isGroup, !current.scans.isEmpty { done.append(current) }
      if i == 0 && done.isEmpty {
        printError("the reference could not be processed; nothing to compare with")
        throw ExitCode.failure
      }
    }
    guard done.count >= 2 else {
      printError("fewer than two samples could be processed; nothing to compare")
      throw ExitCode.failure
    }
    // Row names are unique (they name the difference files): a --sample name that repeats an
    // earlier row's gets a suffix, as spectrum names do.
    var rowNames = Set<String>()
    for i in done.indices {
      let name = done[i].name ?? spectra[done[i].scans[0]].name
      let unique = Batch.uniqueName(name, &rowNames)
      if unique != name { printError("warning: sample name \(name) is used twice; the second is \(unique)") }
      done[i].name = unique
    }
    // Each sample's first scan stands for it in the difference spectra and overlays.
    var firstScans = done.map { s -> ProcessedSpectrum in
      var p = spectra[s.scans[0]]
      p.name = s.name ?? p.name
      return p
    }
    var angles: [[FittedTransAngle]] = done.map { _ in [] }
    if octahedron {
      angles = try fitAngles(done.map(\.scans), spectra: spectra, failed: &failed)
    }
    let compared = done.enumerated().map { i, s in
      ComparisonSample(name: s.name ?? spectra[s.scans[0]].name, records: s.scans.map { records[$0] }, angles: angles[i], isScanGroup: s.isGroup)
    }
    let ref = firstScans.removeFirst()
    let others = firstScans
    for other in others {  // Issue 17: comparing across absorption edges is almost always a mistake.
      // With --e0 common every E0 is the reference's: judge the edge by each spectrum's own derivative maximum.
      let own = { (s: ProcessedSpectrum) -> Double? in
        s.normalized.map { processing.e0IsCommon ? findE0(energy: $0.spectrum.energy, mu: $0.spectrum.mu) : $0.e0 }
      }
      if let a = own(ref), let b = own(other),
        let w = edgeMismatchWarning(reference: ref.name, referenceE0: a, other: other.name, otherE0: b)
      { printError("warning: \(w)") }
    }
    let report = try writeComparison(ref: ref, others: others, samples: compared, hinge: hinge, entries: entries)
    print("\(others.count) spectra compared with \(ref.name); outputs in \(outdir) (comparison.md, comparison.csv, comparison.json)")
    print("report: \(report)")
    if !failed.isEmpty {
      printError("\(failed.count) failed:")
      for line in failed { printError("  \(line)") }
      throw ExitCode.failure
    }
  }

  /// Writes the differences, figures, tables and index.html; returns the path of index.html.
  private func writeComparison(
    ref: ProcessedSpectrum, others: [ProcessedSpectrum], samples: [ComparisonSample], hinge: HingeParameters?,
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
    let rows = Comparison.rows(samples: samples)
    var notes = [
      processing.e0IsCommon
        ? "All spectra processed with the same parameters, E0 included: the reference's (--e0 common)."
        : "All spectra processed with the same parameters; E0 found for each spectrum.",
      "Significant: the hinge-ratio change exceeds 2 combined standard uncertainties (noise propagated by Monte Carlo"
        + (samples.contains { $0.isScanGroup } ? "; for a sample of 2 or more scans the standard error of the mean over its scans" : "")
        + "). An uncertainty that is 0 or not estimable leaves the significance empty.",
    ]
    if samples.contains(where: { $0.isScanGroup }) {
      notes.append("Samples given as repeated scans (--sample): hinge ratio = mean over the scans; the difference spectra and overlays use each sample's first scan.")
    }
    if octahedron {
      notes.append("Trans angle: exafs octahedron on each scan's chi(k) (\(octahedronModel.absorber ?? "")-\(octahedronModel.ligand ?? ""), shells \(octahedronModel.shell.isEmpty ? "none" : octahedronModel.shell.joined(separator: " "))); u from the chi-square profile, or the scans' standard error for 2 or more scans; each scan's NAME.octahedron.json is in this folder.")
    }
    if let hinge {
      notes.append("Hinge windows: first shell \(hinge.shell1), hinge \(hinge.hinge)" + (hinge.preset.map { " (preset \($0))" } ?? "") + ".")
    } else {
      notes.append("No hinge windows given (--hinge tacl6 or --shell1-window/--hinge-window): hinge columns are empty.")
    }
    let octahedronFiles = samples.flatMap { $0.records.map { "\($0.name).octahedron.json" } }
      .filter { octahedron && FileManager.default.fileExists(atPath: path($0)) }
    try AtomicWriter.write(Comparison.csv(rows), to: path("comparison.csv"))
    try AtomicWriter.write(Comparison.json(rows, reference: ref.name, notes: notes), to: path("comparison.json"))
    try AtomicWriter.write(
      Comparison.markdown(rows, title: "Comparison with \(ref.name)", notes: notes), to: path("comparison.md"))
    let comparison = ComparisonReport(
      reference: ref.name, others: others.map(\.name), rows: rows, notes: notes, figures: figureFiles,
      dataFiles: ["comparison.csv", "comparison.md", "comparison.json"] + dataFiles + octahedronFiles)
    return try HTMLReport.comparison(comparison, entries: entries).write(toFolder: outdir)
  }

  /// Fits the trans angle of every scan (one FEFF grid for all), writes NAME.octahedron.json, .chik
  /// and .chir of each; a scan whose fit fails is reported and left out.
  private func fitAngles(_ scans: [[Int]], spectra: [ProcessedSpectrum], failed: inout [String]) throws -> [[FittedTransAngle]] {
    let grid: OctahedronPathGrid
    do { grid = try octahedronModel.grid() } catch let error as EXAFSError {
      printError("error: octahedron: \(error.commandLineDescription)")
      throw ExitCode.failure
    }
    print("FEFF grid: \(grid.bends.count) angles (\(grid.cachedRuns) cached, \(grid.newRuns) run now)")
    let options = octahedronModel.fitOptions()
    return scans.map { indices in
      indices.compactMap { i -> FittedTransAngle? in
        let s = spectra[i]
        do {
          let result = try fitOctahedron(
            grid: grid, data: FitData(name: s.name, source: s.source, k: s.chik.k, chi: s.chik.chi), options: options)
          try result.write(to: outdir, name: s.name)
          let a = result.transAngle
          print("octahedron: \(s.name): trans angle " + String(format: "%.2f", a.value) + " +/- "
            + (a.uncertainty.map { String(format: "%.2f deg", $0) } ?? "not estimable"))
          for w in result.warnings { printError("warning: \(s.name): \(w)") }
          return a
        } catch {
          let message = "\(s.source): octahedron fit: \((error as? EXAFSError)?.commandLineDescription ?? "\(error)")"
          printError("error: \(message)")
          failed.append(message)
          return nil
        }
      }
    }
  }
}
