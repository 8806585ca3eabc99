// `exafs octahedron DATA --absorber M --ligand X -o OUTDIR`: fit the trans X-M-X angle of an MX6 octahedron with FEFF paths on an angle grid.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import EXAFSReport
import Foundation

struct Octahedron: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit the trans X-M-X angle (degrees) of an MX6 octahedron, with outer shells, to chi(k) data.",
    discussion: """
      FEFF6 (/usr/bin/feff6l) is run once per trans angle on a grid (180 down to --min-angle in \
      --angle-step) and cached by a hash of feff.inp; the fit varies the angle smoothly with S0^2, \
      E0, the M-X distance, the first-shell and multiple-scattering sigma2 and each outer shell's \
      distance and sigma2. Writes NAME.octahedron.json, .chik and .chir. Docs/distortion.md.
      """)

  @Argument(help: "Data file (anything `process` reads; chi(k) files are used directly).") var data: String
  @OptionGroup var model: OctahedronModelOptions
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).") var outdir: String
  @Option(help: "Stem of the output files (default: the data file's name).") var name: String?
  @Flag(help: """
    Also draw NAME.octahedron-k.png, -r.png (data, fit, path groups), -profile.png (chi-square vs angle), \
    -wavelet.png (Morlet maps of data, model, residual), -groups.png (each path group's map) and index.html.
    """)
  var plot = false
  @Flag(help: "Also write the Morlet maps as text: NAME.octahedron.wavelet (k R |W| of data, model, residual and each group).")
  var waveletGrid = false
  @OptionGroup var input: InputOptions
  @OptionGroup var processing: ProcessingOptions

  func validate() throws { try model.check(required: true, command: "octahedron") }

  func run() throws {
    do {
      let fitData = try FitData.read(path: data, options: input.readOptions, processing: processing.values)
      let grid = try model.grid()
      let options = model.fitOptions()
      let result = try fitOctahedron(grid: grid, data: fitData, options: options)
      try createDirectory(outdir)
      let stem = name ?? SpectrumReader.fileSafeName(((data as NSString).lastPathComponent as NSString).deletingPathExtension)
      var written = try result.write(to: outdir, name: stem)
      if plot || waveletGrid {
        let maps = try result.waveletMaps()
        if waveletGrid {
          let path = (outdir as NSString).appendingPathComponent("\(stem).octahedron.wavelet")
          try AtomicWriter.write(Data(result.waveletGridText(maps).utf8), to: path)
          written.append(path)
        }
        if plot {
          let captions = [
            "octahedron-k": "data, fit and each path group in k", "octahedron-r": "data, fit and each path group in R",
            "octahedron-profile": "χ² profile in the trans angle",
            "octahedron-wavelet": "Morlet maps of data, model and residual on one colour scale",
            "octahedron-groups": "Morlet maps of the model and each path group on one colour scale",
          ]
          var figures: [(file: String, caption: String)] = []
          for (figName, figure) in result.figures() + result.waveletFigures(maps) {
            let file = "\(stem).\(figName).png"
            let path = (outdir as NSString).appendingPathComponent(file)
            try PlotRenderer.write(figure, to: path)
            written.append(path)
            figures.append((file, captions[figName] ?? figName))
          }
          let report = HTMLReport.sections(
            title: "exafs octahedron: \(stem)", summaryLines: ["Numbers in \(stem).octahedron.json."],
            [result.reportSection(title: stem, figures: figures)])
          written.append(try report.write(toFolder: outdir))
        }
      }
      Self.printSummary(result, grid: grid)
      for w in result.warnings { printError("warning: \(w)") }
      print("Wrote \(written.joined(separator: ", "))")
    } catch let error as EXAFSError {
      printError("error: \(error.commandLineDescription)")
      throw ExitCode.failure
    }
  }

  static func printSummary(_ r: OctahedronFitResult, grid: OctahedronPathGrid) {
    func fmt(_ v: MeasuredValue, _ f: String) -> String {
      String(format: f, v.value) + " +/- " + (v.uncertainty.map { String(format: f, $0) } ?? "not estimable")
    }
    print("FEFF grid: \(grid.bends.count) angles (\(grid.cachedRuns) cached, \(grid.newRuns) run now)")
    let a = r.transAngle
    print(String(format: "trans angle %.2f", a.value) + " +/- " + (a.uncertainty.map { String(format: "%.2f deg", $0) } ?? "not estimable")
      + (a.interval.count == 2 ? String(format: "  (one sigma %.2f ... %.2f)", a.interval[0], a.interval[1]) : ""))
    print("bond length \(fmt(r.bondLength, "%.4f")) A, sigma2 first \(fmt(r.sigma2FirstShell, "%.5f")), MS \(fmt(r.sigma2MS, "%.5f"))")
    print("s02 \(fmt(r.s02, "%.3f")), e0 \(fmt(r.e0Shift, "%.2f")) eV")
    for s in r.outerShells { print("shell \(s.element)\(s.count): R \(fmt(s.distance, "%.4f")) A, sigma2 \(fmt(s.sigma2, "%.5f"))") }
    let s = r.statistics
    print(String(format: "n_idp %.2f  n_var %d  reduced chi-square %.4g  r_factor %.4g", s.nIndependent, s.nVariables, s.reducedChiSquare, s.rFactor))
    for c in r.correlations { print(String(format: "  correlation %@, %@: %.3f", c.first, c.second, c.value)) }
    if let w = r.wavelet {
      let shares = w.groupNames.compactMap { g in w.point.groups[g].map { "\(g) \(String(format: "%.2f", $0.share))" } }
      print(String(format: "Morlet |W| share of the model at k %.2f, R %.2f: ", w.point.k, w.point.r) + shares.joined(separator: ", "))
    }
  }
}
