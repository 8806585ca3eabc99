// `exafs fit DATA... --model MODEL.json -o OUTDIR`: FEFF path fit (Larch's feffit) of chi(k) data.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import EXAFSReport
import Foundation

struct Fit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit FEFF paths to chi(k) data with a model of guessed, fixed and derived parameters.",
    discussion: """
      DATA is anything `process` reads: mu(E) is processed with the usual options first, chi(k) files \
      are used directly. Give one DATA per dataset of the model, or none to use the data files the \
      model names. Writes NAME.fit.json, NAME.fit.chik and NAME.fit.chir to OUTDIR (NAME: the \
      model's file name without .model.json / .json). Model format: Docs/fitting.md.
      """)

  @Argument(help: "Data files, one per dataset of the model (default: the model's own 'data' entries).")
  var data: [String] = []
  @Option(help: "Fit model (JSON): parameters, paths, transform, or datasets.") var model: String
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).") var outdir: String
  @Option(help: "Stem of the output files (default: from the model file name).") var name: String?
  @Flag(help: "Also draw NAME.fit-k.png and NAME.fit-r.png (data, fit and each path), NAME.fit-wavelet.png (Morlet maps of data, model, residual), NAME.fit-paths-wavelet.png (each path's map) and index.html.") var plot = false
  @OptionGroup var input: InputOptions
  @OptionGroup var processing: ProcessingOptions

  func validate() throws {
    if processing.e0IsCommon { throw ValidationError("--e0 common is for exafs compare; give a number") }
  }

  func run() throws {
    try checkOutputs(folders: [("output", outdir)], inputs: data + [model])
    do {
      let fitModel = try FitModel(path: model)
      let files = data.isEmpty ? fitModel.datasets.compactMap(\.data) : data
      guard files.count == fitModel.datasets.count else {
        throw ValidationError(
          "the model has \(fitModel.datasets.count) dataset(s); give as many DATA files (got \(files.count))")
      }
      let fitData = try files.map { try FitData.read(path: $0, options: input.readOptions, processing: processing.values) }
      let result = try feffit(model: fitModel, data: fitData)
      try createDirectory(outdir)
      let stem = name ?? defaultStem(model)
      var written = try result.write(to: outdir, name: stem, model: model)
      if plot {
        var figures: [(file: String, caption: String)] = []
        for (figName, figure) in try result.figures() + result.waveletFigures() {
          let file = "\(stem).\(figName).png"
          try PlotRenderer.write(figure, to: (outdir as NSString).appendingPathComponent(file))
          written.append((outdir as NSString).appendingPathComponent(file))
          let caption =
            figName.hasPrefix("fit-paths-wavelet") ? "Morlet maps of the model and each path"
            : figName.hasPrefix("fit-wavelet") ? "Morlet maps of data, model and residual on one colour scale"
            : figName.hasPrefix("fit-k") ? "data, fit and each path in k" : "data, fit and each path in R"
          figures.append((file, caption))
        }
        let report = HTMLReport.sections(
          title: "exafs fit: \(stem)", summaryLines: ["Model \(model); numbers in \(stem).fit.json."],
          [result.reportSection(title: stem, figures: figures)])
        written.append(try report.write(toFolder: outdir))
      }
      printSummary(result)
      for w in result.warnings { printError("warning: \(w)") }
      print("Wrote \(written.joined(separator: ", "))")
    } catch let error as EXAFSError {
      printError("error: \(error.description)")
      throw ExitCode.failure
    }
  }

  func defaultStem(_ path: String) -> String {
    var s = (path as NSString).lastPathComponent
    for suffix in [".model.json", ".json"] where s.hasSuffix(suffix) {
      s = String(s.dropLast(suffix.count))
      break
    }
    return s
  }

  func printSummary(_ r: FitResult) {
    let s = r.statistics
    print(String(format: "n_idp %.2f  n_var %d  chi_square %.6g  reduced %.6g  r_factor %.6g", s.nIndependent, s.nVariables, s.chiSquare, s.reducedChiSquare, s.rFactor))
    for (n, p) in r.parameters.sorted(by: { $0.key < $1.key }) {
      let how = p.expr.map { "= \($0)" } ?? (p.initial.map { String(format: "(start %.6g)", $0) } ?? "")
      print(String(format: "  %-12@ %14.7g +/- %-12.5g %@", n, p.value, p.uncertainty, how))
    }
    for p in r.datasets.flatMap(\.paths) {
      print(String(format: "  path %@ %@: R = %.4f +/- %.4f A, sigma2 = %.5f, s02 = %.4g, e0 = %.3f", p.feff, p.label, p.r, p.rUncertainty, p.sigma2, p.s02, p.e0))
    }
    for c in r.correlations { print(String(format: "  correlation %@, %@: %.3f", c.first, c.second, c.value)) }
  }
}
