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
  @Option(help: "What is analysed: norm (normalized mu(E)), deriv (d norm/dE) or chik (k^w chi(k)).")
  var space: String = "norm"
  @Option(parsing: .unconditional, help: "Start of the range, eV relative to the first spectrum's E0 (default -20, as Athena).")
  var emin: Double?
  @Option(parsing: .unconditional, help: "End of the range, eV relative to the first spectrum's E0 (default +80, as Athena).")
  var emax: Double?
  @Option(help: "Start of the range in chik space, 1/Å (default 3).")
  var kmin: Double?
  @Option(help: "End of the range in chik space, 1/Å (default 12).")
  var kmax: Double?
  @Option(help: "k-weight in chik space, 0-3 (default 2).")
  var kweight: Int = 2
  @Option(help: "Figure format: png, svg or pdf (default png).")
  var plotFormat: String = "png"
  @Option(help: "mu as an expression over columns for column files, e.g. 'ln(i0/it)' (as for process).")
  var mu: String?

  var mixtureSpace: MixtureSpace? { MixtureSpace(rawValue: space.lowercased()) }

  func validate() throws {
    guard let s = mixtureSpace else { throw ValidationError("--space must be norm, deriv or chik, got '\(space)'") }
    if s == .chik, emin != nil || emax != nil {
      throw ValidationError("--emin/--emax set an energy range; in chik space use --kmin/--kmax")
    }
    if s != .chik, kmin != nil || kmax != nil {
      throw ValidationError("--kmin/--kmax set a k range; use --space chik, or --emin/--emax for \(s.rawValue)")
    }
    let lo = s == .chik ? (kmin ?? 3) : (emin ?? -20)
    let hi = s == .chik ? (kmax ?? 12) : (emax ?? 80)
    guard lo.isFinite, hi.isFinite, lo < hi else {
      throw ValidationError("the range start (\(lo)) must be below its end (\(hi))")
    }
    guard (0...3).contains(kweight) else { throw ValidationError("--kweight must be 0, 1, 2 or 3") }
    if let components, components < 1 { throw ValidationError("--components must be at least 1") }
    guard PlotFormat(rawValue: plotFormat.lowercased()) != nil else {
      throw ValidationError("--plot-format must be png, svg or pdf")
    }
    if let mu {
      do { _ = try MuExpression(mu) } catch let error as EXAFSError { throw ValidationError(error.description) }
    }
  }

  func run() throws {
    try checkOutputs(folders: [("output", outdir)], inputs: spectra + targets)
    try reportingErrors {
      let space = mixtureSpace ?? .norm
      var warnings: [String] = []
      var names: Set<String> = []
      func load(_ paths: [String]) throws -> [MixtureSpectrum] {
        var out: [MixtureSpectrum] = []
        for path in paths {
          let (spectra, w) = try mixtureSpectra(path, space: space, kweight: kweight, mu: mu)
          warnings += w
          for var s in spectra {
            s.name = uniqueLabel(s.name, &names)
            out.append(s)
          }
        }
        return out
      }
      let set = try load(spectra)
      guard let first = set.first else { throw EXAFSError.invalidParameter("SPECTRA", "no spectrum read") }
      let xmin = space == .chik ? (kmin ?? 3) : first.e0 + (emin ?? -20)
      let xmax = space == .chik ? (kmax ?? 12) : first.e0 + (emax ?? 80)
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
    let format = PlotFormat(rawValue: plotFormat.lowercased()) ?? .png
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
    try PlotRenderer.write(model.figure(targets: targets, shown: shown, kweight: kweight), to: path(files.last ?? "pca.png"), format: format)
    let notes = [
      "Larch's pca_train: each spectrum minus the mean spectrum, centred and scaled to unit standard deviation.",
      "IND (Malinowski) is smallest at \(model.indComponents) components; the F-test finds \(model.fTestComponents()) significant at 5%.",
      "Target transformation: each candidate (rescaled) fitted with the first \(shown) components plus the mean (Larch's pca_fit).",
    ]
    let report = PrincipalComponentReport(
      model: model, kweight: kweight, referenceE0: referenceE0, targets: targets, files: files, notes: notes,
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
