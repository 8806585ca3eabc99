// `exafs lcf SAMPLE --standards A B C -o OUTDIR`: linear-combination fit of a spectrum by standards.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import Foundation

struct LCF: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lcf",
    abstract: "Fit a spectrum as a linear combination of standards and rank every combination of them.",
    discussion: """
      Fits SAMPLE(E) = sum_i w_i STANDARD_i(E) in normalized mu(E) (norm), its derivative (deriv) or \
      k^w chi(k) (chik), as Larch's lincombo_fit: weights with standard errors, optionally an energy \
      shift of the sample (--vary-e0), R-factor and reduced chi-square; then fits every combination \
      of 2 ... N standards (--combinations) and ranks them by reduced chi-square (lincombo_fitall). \
      Standards are interpolated onto the sample's points in the fit range. Each spectrum is \
      normalized with Larch's defaults (or the parameters stored in its Athena project). \
      An Athena project given as a standard contributes every mu(E) group in it; choose one group \
      of a project with FILE#LABEL. Writes OUTDIR/NAME.lcf.json, NAME.lcf.dat (x, data, fit, \
      residual, weighted standards), NAME.lcf.md (ranking table) and NAME.lcf.png.
      """)

  @Argument(help: "The spectrum to fit (a column/XDI file, or FILE#LABEL for one group of an Athena project).")
  var sample: String
  @Option(parsing: .upToNextOption, help: "The standards (files, Athena projects, or FILE#LABEL).")
  var standards: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @OptionGroup var mixture: MixtureSpaceOptions
  @Flag(inversion: .prefixedNo, help: "Constrain the weights to sum to 1 (Larch's and Athena's default: on).")
  var sumToOne = true
  @Flag(help: "Also fit an energy shift of the sample, eV (Larch's vary_e0).")
  var varyE0 = false
  @Flag(help: "Keep every weight between 0 and 1 (Athena's option; the exact bounded minimum).")
  var bounded = false
  @Option(help: "Largest number of standards in a ranked combination (default: all; combinations start at 2).")
  var combinations: Int?

  func validate() throws {
    try mixture.check(defaultEmax: 30)
    if standards.isEmpty { throw ValidationError("give the standards with --standards A B ...") }
    if let combinations, combinations < 1 { throw ValidationError("--combinations must be at least 1") }
  }


  func run() throws {
    try checkOutputs(folders: [("output", outdir)], inputs: [sample] + standards)
    try reportingErrors {
      let space = mixture.mixtureSpace ?? .norm
      var warnings: [String] = []
      let (sampleSpectra, sampleWarnings) = try mixtureSpectra(sample, space: space, kweight: mixture.kweight, mu: mixture.mu)
      guard sampleSpectra.count == 1, let sampleSpectrum = sampleSpectra.first else {
        throw EXAFSError.invalidParameter(
          "SAMPLE",
          "\(sample) holds \(sampleSpectra.count) spectra (\(sampleSpectra.map(\.name).joined(separator: ", "))); "
            + "choose one with FILE#LABEL")
      }
      warnings += sampleWarnings
      var standardSpectra: [MixtureSpectrum] = []
      var names: Set<String> = [sampleSpectrum.name]
      for path in standards {
        let (spectra, w) = try mixtureSpectra(path, space: space, kweight: mixture.kweight, mu: mixture.mu)
        warnings += w
        for var s in spectra {
          s.name = Batch.uniqueName(s.name, &names)
          standardSpectra.append(s)
        }
      }
      var parameters = LinearCombinationParameters()
      parameters.space = space
      parameters.kweight = mixture.kweight
      parameters.sumToOne = sumToOne
      parameters.varyE0 = varyE0
      parameters.maxComponents = combinations
      parameters.weightBounds = bounded ? 0...1 : nil
      (parameters.xmin, parameters.xmax) = mixture.range(e0: sampleSpectrum.e0, defaultEmax: 30)
      let analysis = try analyzeLinearCombinations(
        sample: sampleSpectrum, standards: standardSpectra, parameters: parameters)
      warnings += edgeWarnings(standardSpectra, reference: sampleSpectrum)
      warnings += fitWarnings(analysis, sample: sampleSpectrum, standards: standardSpectra)
      try write(analysis, sample: sampleSpectrum, standards: standardSpectra, warnings: warnings)
    }
  }

  /// Things to check in the result: negative weights, extrapolated standards, weights far from 1.
  private func fitWarnings(
    _ analysis: LinearCombinationAnalysis, sample: MixtureSpectrum, standards: [MixtureSpectrum]
  ) -> [String] {
    var warnings: [String] = []
    let fit = analysis.fit
    for (i, name) in fit.standards.enumerated() where fit.weights[i] < -2 * fit.uncertainties[i] {
      warnings.append(
        "\(name) has a negative weight (\(String(format: "%.4f ± %.4f", fit.weights[i], fit.uncertainties[i]))): "
          + "the standards may not describe \(sample.name); see the ranking for a smaller set")
    }
    if analysis.parameters.weightBounds != nil {
      let held = fit.standards.indices.filter { fit.uncertainties[$0] == 0 }.map { fit.standards[$0] }
      if !held.isEmpty { warnings.append("held at a bound (0 or 1): \(held.joined(separator: ", "))") }
    }
    if let matrix = try? MixtureMatrix([sample] + standards, xmin: analysis.parameters.xmin, xmax: analysis.parameters.xmax),
      !matrix.extrapolated.isEmpty
    {
      warnings.append(
        "the fit range extends beyond the data of \(matrix.extrapolated.joined(separator: ", ")); "
          + "their values there are extrapolated")
    }
    if !analysis.parameters.sumToOne, abs(fit.weightSum - 1) > 0.1 {
      warnings.append(
        "the weights sum to \(String(format: "%.3f", fit.weightSum)), not 1: check the normalization of the sample and the standards")
    }
    return warnings
  }

  private func write(
    _ analysis: LinearCombinationAnalysis, sample: MixtureSpectrum, standards: [MixtureSpectrum], warnings: [String]
  ) throws {
    try createDirectory(outdir)
    func path(_ name: String) -> String { (outdir as NSString).appendingPathComponent(name) }
    let fit = analysis.fit
    let stem = sample.name
    let format = mixture.format
    let files = ["\(stem).lcf.json", "\(stem).lcf.dat", "\(stem).lcf.md", "\(stem).lcf.\(format.rawValue)"]
    let header = [
      "EXAFSKit \(exafsKitVersion): linear-combination fit of \(stem) (\(analysis.parameters.space.rawValue))",
      "standards: \(fit.standards.joined(separator: ", "))",
      "weights: " + fit.standards.indices.map { "\(fit.standards[$0]) \(fit.weights[$0]) +- \(fit.uncertainties[$0])" }
        .joined(separator: "; "),
      "r_factor: \(fit.rFactor)", "reduced_chi_square: \(fit.reducedChiSquare)",
    ] + (analysis.parameters.varyE0 ? ["e0_shift: \(fit.e0Shift) +- \(fit.e0ShiftUncertainty ?? .nan) eV"] : [])
    try AtomicWriter.write(fit.columnFileText(header: header), to: path(files[1]))
    let table = "# Linear-combination fits of \(stem)\n\n" + LinearCombinationResult.rankingTable(analysis.ranking)
    try AtomicWriter.write(table, to: path(files[2]))
    try PlotRenderer.write(
      fit.figure(space: analysis.parameters.space, kweight: analysis.parameters.kweight), to: path(files[3]),
      format: format)
    let notes = [
      "Weights: least squares over \(fit.pointCount) points; uncertainties scaled by the reduced chi-square (lmfit).",
      "Ranking: every combination of \(analysis.ranking.map(\.standards.count).min() ?? 0)-"
        + "\(analysis.ranking.map(\.standards.count).max() ?? 0) standards, best reduced chi-square first.",
    ]
    let report = LinearCombinationReport(
      analysis: analysis, sample: sample, standards: standards, files: files, notes: notes, warnings: warnings)
    try AtomicWriter.write(try report.jsonText(), to: path(files[0]))
    printSummary(analysis, warnings: warnings)
  }

  private func printSummary(_ analysis: LinearCombinationAnalysis, warnings: [String]) {
    let fit = analysis.fit
    print("\(fit.sample): \(fit.pointCount) points, \(analysis.parameters.space.rawValue) space")
    for (i, name) in fit.standards.enumerated() {
      print("  \(name): \(String(format: "%.4f ± %.4f", fit.weights[i], fit.uncertainties[i]))")
    }
    if analysis.parameters.varyE0 {
      print("  e0 shift: \(String(format: "%+.3f ± %.3f", fit.e0Shift, fit.e0ShiftUncertainty ?? .nan)) eV")
    }
    print("  sum \(String(format: "%.4f", fit.weightSum)), R-factor \(String(format: "%.4g", fit.rFactor)), reduced chi-square \(String(format: "%.4g", fit.reducedChiSquare))")
    if let best = analysis.ranking.first {
      print("best of \(analysis.ranking.count) combinations: \(best.standards.joined(separator: " + ")) (reduced chi-square \(String(format: "%.4g", best.reducedChiSquare)))")
    }
    for w in warnings { printError("warning: \(w)") }
    print("outputs in \(outdir)")
  }
}
