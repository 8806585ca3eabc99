// The report card of a path fit: statistics, parameters, paths, correlations and the fit figures.
import EXAFSKit
import Foundation

extension FitResult {
  /// The card of this fit in the HTML report; `figures` are the file names of its images.
  public func reportSection(title: String, figures: [(file: String, caption: String)]) -> ReportSection {
    func g(_ x: Double) -> String { String(format: "%.6g", x) }
    let s = statistics
    let stats = ReportTable(
      caption: "Statistics (as Larch's feffit)", header: ["quantity", "value"],
      rows: [
        ["chi_square", g(s.chiSquare)], ["reduced_chi_square", g(s.reducedChiSquare)], ["r_factor", g(s.rFactor)],
        ["n_independent", g(s.nIndependent)], ["n_variables", String(s.nVariables)],
      ])
    let parameterRows = parameters.sorted { $0.key < $1.key }.map { name, p in
      [name, g(p.value), g(p.uncertainty), p.expr.map { "= \($0)" } ?? p.initial.map { "start \(g($0))" } ?? ""]
    }
    let pathRows = datasets.flatMap(\.paths).map { p in
      [p.dataset, p.label.isEmpty ? p.feff : p.label, String(format: "%.4f ± %.4f", p.r, p.rUncertainty),
       String(format: "%.5f ± %.5f", p.sigma2, p.sigma2Uncertainty), g(p.s02), g(p.e0), g(p.degen)]
    }
    return ReportSection(
      title: title,
      paragraphs: ["Fit of \(datasets.map(\.name).joined(separator: ", ")); R values are path lengths (phase-corrected by FEFF)."],
      tables: [
        stats,
        ReportTable(caption: "Parameters", header: ["name", "value", "uncertainty", "defined by"], rows: parameterRows),
        ReportTable(caption: "Paths", header: ["dataset", "path", "R (Å)", "σ² (Å²)", "S0²·N/degen", "ΔE0 (eV)", "degen"], rows: pathRows),
        ReportTable(
          caption: "Correlations above 0.8", header: ["first", "second", "correlation"],
          rows: correlations.map { [$0.first, $0.second, String(format: "%.3f", $0.value)] }),
      ],
      figures: figures, warnings: warnings)
  }
}
