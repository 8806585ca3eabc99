// The report card of an octahedron fit: the angle, the other parameters, statistics, correlations, the wavelet shares of the path groups and the figures.
import EXAFSKit
import Foundation

extension OctahedronFitResult {
  /// The card of this fit in the HTML report; `figures` are the file names of its images.
  public func reportSection(title: String, figures: [(file: String, caption: String)]) -> ReportSection {
    func g(_ x: Double) -> String { String(format: "%.6g", x) }
    func mv(_ v: MeasuredValue) -> [String] { [g(v.value), v.uncertainty.map(g) ?? "not estimable"] }
    let a = transAngle
    var rows: [[String]] = [
      ["trans angle (°)", String(format: "%.2f", a.value), a.uncertainty.map { String(format: "%.2f", $0) } ?? "not estimable",
       a.interval.count == 2 ? String(format: "%.2f … %.2f", a.interval[0], a.interval[1]) : ""],
      ["bond length (Å)"] + mv(bondLength) + [""], ["σ² first shell (Å²)"] + mv(sigma2FirstShell) + [""],
      ["σ² MS (Å²)"] + mv(sigma2MS) + [""], ["S0²"] + mv(s02) + [""], ["ΔE0 (eV)"] + mv(e0Shift) + [""],
    ]
    for s in outerShells {
      rows.append(["\(s.element)\(s.count) distance (Å)"] + mv(s.distance) + [""])
      rows.append(["\(s.element)\(s.count) σ² (Å²)"] + mv(s.sigma2) + [""])
    }
    let st = statistics
    var tables = [
      ReportTable(caption: "Fitted octahedron", header: ["quantity", "value", "uncertainty", "one-sigma interval"], rows: rows),
      ReportTable(
        caption: "Statistics (as Larch's feffit)", header: ["quantity", "value"],
        rows: [
          ["chi_square", g(st.chiSquare)], ["reduced_chi_square", g(st.reducedChiSquare)], ["r_factor", g(st.rFactor)],
          ["n_independent", g(st.nIndependent)], ["n_variables", String(st.nVariables)],
        ]),
      ReportTable(
        caption: "Correlations above 0.8", header: ["first", "second", "correlation"],
        rows: correlations.map { [$0.first, $0.second, String(format: "%.3f", $0.value)] }),
    ]
    if let w = wavelet {
      let h = w.hingeWindow, p = w.point
      tables.append(ReportTable(
        caption: String(format: "Path groups in the Morlet map: at k %.2f Å⁻¹, R %.2f Å, and over the hinge window (%@)", p.k, p.r, h.window.description),
        header: ["group", "|W| at the point", "share of the model's |W|", "projection", "window ∫|W|", "window share", "window projection"],
        rows: w.groupNames.map { name in
          let a = p.groups[name], b = h.groups[name]
          return [name, a.map { g($0.magnitude) } ?? "", a.map { String(format: "%.3f", $0.share) } ?? "",
                  a.map { String(format: "%.3f", $0.projection) } ?? "", b.map { g($0.magnitude) } ?? "",
                  b.map { String(format: "%.3f", $0.share) } ?? "", b.map { String(format: "%.3f", $0.projection) } ?? ""]
        } + [["model", g(p.model), "1", "1", g(h.model), "1", "1"], ["data", g(p.data), "", "", g(h.data), "", ""],
             ["residual", g(p.residual), "", "", g(h.residual), "", ""]]))
    }
    return ReportSection(
      title: title,
      paragraphs: [
        "Octahedron fit of \((source as NSString).lastPathComponent): \(absorber) with six \(ligand), trans angle from the χ² profile"
          + (a.note.map { " (\($0))" } ?? "") + ". Numbers in the NAME.octahedron.json file; Docs/distortion.md explains the model.",
        "Share = |W_group| / |W_model|; projection = Re(W_group W_model*) / |W_model|², which sums to 1 over the groups.",
      ],
      tables: tables, figures: figures, warnings: warnings)
  }
}
