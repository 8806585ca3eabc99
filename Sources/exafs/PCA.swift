// `exafs pca SPECTRA... -o OUTDIR`: principal components of a set of spectra, and target transformation of standards.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import Foundation

struct PCA: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pca",
    abstract: "Principal component analysis of a set of spectra: how many species, and which standards fit.",
    discussion: """
      Decomposes the spectra (normalized mu(E), its derivative, or k^w chi(k)) as Larch's pca_train: \
      eigenvalues and variances, the indicator function IND (its minimum estimates the number of \
      species) and Malinowski's F-test; then reconstructs each --targets standard from the first N \
      components plus the mean (target transformation, Larch's pca_fit with rescaling): a small \
      chi-square means the standard can be one of the species. The first spectrum's points in the \
      range are the grid; the others are interpolated onto it. An Athena project contributes every \
      mu(E) group in it; FILE#LABEL picks one. Writes OUTDIR/pca.json, pca.dat (x, mean, \
      components), pca.targets.dat (x, then candidate and reconstruction per target) and pca.png.
      """)

  @Argument(help: "The spectra (at least 3): column/XDI files, Athena projects, or FILE#LABEL.")
  var spectra: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @Option(parsing: .upToNextOption, help: "Candidate standards for target transformation.")
  var targets: [String] = []
  @Option(help: "Components used for target transformation (default: the number IND estimates).")
  var components: Int?
  @OptionGroup var mixture: MixtureSpaceOptions

  func validate() throws {
    try mixture.check(defaultEmax: 80)
    if let components, components < 1 { throw ValidationError("--components must be at least 1") }
  }


  func run() throws {
    try checkOutputs(folders: [("output", outdir)], inputs: spectra + targets)
    try reportingErrors {
      let space = mixture.mixtureSpace ?? .norm
      var warnings: [String] = []
      var names: Set<String> = []
      func load(_ paths: [String]) throws -> [MixtureSpectrum] {
        var out: [MixtureSpectrum] = []
        for path in paths {
          let (spectra, w) = try mixtureSpectra(path, space: space, kweight: mixture.kweight, mu: mixture.mu)
          warnings += w
          for var s in spectra {
            s.name = Batch.uniqueName(s.name, &names)
            out.append(s)
          }
        }
        return out
      }
      let set = try load(spectra)
      guard let first = set.first else { throw EXAFSError.invalidParameter("SPECTRA", "no spectrum read") }
      let (xmin, xmax) = mixture.range(e0: first.e0, defaultEmax: 80)
      let matrix = try MixtureMatrix(set, xmin: xmin, xmax: xmax)
      if !matrix.extrapolated.isEmpty {
        warnings.append("the range extends beyond the data of \(matrix.extrapolated.joined(separator: ", ")); extrapolated there")
      }
      let model = try trainPrincipalComponents(matrix, space: space, xmin: xmin, xmax: xmax)
      let n = min(components ?? max(1, model.indComponents), model.components.count)
      let candidates = try load(targets)
      warnings += edgeWarnings(Array(set.dropFirst()) + candidates, reference: first)
      let transformed = try candidates.map { try model.targetTransformation($0, components: n) }
      try write(model, transformed, referenceE0: space.isEnergy ? first.e0 : nil, shown: n, warnings: warnings)
    }
  }

  private func write(
    _ model: PrincipalComponentModel, _ targets: [TargetTransformation], referenceE0: Double?, shown: Int,
    warnings: [String]
  ) throws {
    try createDirectory(outdir)
    func path(_ name: String) -> String { (outdir as NSString).appendingPathComponent(name) }
    let format = mixture.format
    let files = ["pca.json", "pca.dat"] + (targets.isEmpty ? [] : ["pca.targets.dat"]) + ["pca.\(format.rawValue)"]
    let header = ["EXAFSKit \(exafsKitVersion): principal components of \(model.names.joined(separator: ", "))"]
    try AtomicWriter.write(model.columnFileText(header: header), to: path("pca.dat"))
    if !targets.isEmpty {
      let names = ["x"] + targets.flatMap { ["\($0.name)", "\($0.name)_fit"].map { $0.replacingOccurrences(of: " ", with: "_") } }
      let text = ColumnFileWriter.format(
        header: ["EXAFSKit \(exafsKitVersion): target transformation with \(shown) components"], names: names,
        columns: [model.x] + targets.flatMap { [$0.data, $0.fit] })
      try AtomicWriter.write(text, to: path("pca.targets.dat"))
    }
    try PlotRenderer.write(model.figure(targets: targets, shown: shown, kweight: mixture.kweight), to: path(files.last ?? "pca.png"), format: format)
    let notes = [
      "Larch's pca_train: each spectrum minus the mean spectrum, centred and scaled to unit standard deviation.",
      "IND (Malinowski) is smallest at \(model.indComponents) components; the F-test finds \(model.fTestComponents()) significant at 5%.",
      "Target transformation: each candidate (rescaled) fitted with the first \(shown) components plus the mean (Larch's pca_fit).",
    ]
    let report = PrincipalComponentReport(
      model: model, kweight: mixture.kweight, referenceE0: referenceE0, targets: targets, files: files, notes: notes,
      warnings: warnings)
    try AtomicWriter.write(try report.jsonText(), to: path("pca.json"))
    print("\(model.names.count) spectra, \(model.x.count) points (\(model.space.rawValue))")
    for (i, v) in model.variances.prefix(6).enumerated() {
      print("  component \(i + 1): eigenvalue \(String(format: "%.4g", model.eigenvalues[i])), variance \(String(format: "%.2f", 100 * v))%"
        + (i < model.fTest.count ? String(format: ", F-test significance %.3g", model.fTest[i].significance) : ""))
    }
    print("species: \(model.indComponents) by IND, \(model.fTestComponents()) by the F-test at 5%")
    for t in targets {
      print("  target \(t.name): chi-square \(String(format: "%.4g", t.chiSquare)), R-factor \(String(format: "%.4g", t.rFactor)), scale \(String(format: "%.4f", t.scale))")
    }
    for w in warnings { printError("warning: \(w)") }
    print("outputs in \(outdir)")
  }
}
