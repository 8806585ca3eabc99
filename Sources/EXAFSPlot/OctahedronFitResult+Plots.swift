// Figures of an octahedron fit: data, model and path groups in k (k^w chi) and in R (|chi(R)|), the chi-square profile in angle.
import EXAFSKit
import Foundation

extension OctahedronFitResult {
  /// File stem -> figure: `octahedron-k`, `octahedron-r` and `octahedron-profile`.
  public func figures() -> [(name: String, figure: Figure)] {
    let kw = transform.kweight[0]
    func weighted(_ c: [Double]) -> [Double] { zip(k, c).map { $1 * kWeightFactor($0, kw) } }
    let angleText = String(format: "trans angle %.2f", transAngle.value)
      + (transAngle.uncertainty.map { String(format: " ± %.2f°", $0) } ?? "° (uncertainty not estimable)")
    let stats = String(format: "%@, R-factor %.4g, reduced χ² %.4g", angleText, statistics.rFactor, statistics.reducedChiSquare)
    let offset = -1.2 * (weighted(data).map(abs).max() ?? 1)
    var kSeries: [(label: String, x: [Double], y: [Double])] = [("data", k, weighted(data)), ("fit", k, weighted(model))]
    for g in groupNames { kSeries.append(("\(g) (offset)", k, weighted(groups[g] ?? []).map { $0 + offset })) }
    var rSeries: [(label: String, x: [Double], y: [Double])] = []
    let dr = transformed(data, rmaxOut: 6), mr = transformed(model, rmaxOut: 6)
    rSeries.append(("data", dr.r, dr.mag))
    rSeries.append(("fit", mr.r, mr.mag))
    for g in groupNames {
      let gr = transformed(groups[g] ?? [], rmaxOut: 6)
      rSeries.append((g, gr.r, gr.mag))
    }
    let region = RegionMark(xmin: transform.rmin, xmax: transform.rmax, label: "fit range", fill: PlotColor(hex: 0x4E79A7, alpha: 0.10))
    let minChi = profile.map(\.chiSquare).min() ?? 0
    return [
      ("octahedron-k", PlotFactory.overlay(
        series: kSeries, xLabel: "k (Å⁻¹)", yLabel: "k^\(fmt(kw)) χ(k)", xRange: 0...(transform.kmax + 2),
        title: "Octahedron fit of \((source as NSString).lastPathComponent) in k\n\(stats)")),
      ("octahedron-r", PlotFactory.overlay(
        series: rSeries, xLabel: "R (Å), not phase-corrected", yLabel: "|χ(R)|", xRange: 0...6, regions: [region],
        title: "Octahedron fit in R (k^\(fmt(kw)), k \(fmt(transform.kmin))-\(fmt(transform.kmax)) Å⁻¹)\n\(stats)")),
      ("octahedron-profile", PlotFactory.overlay(
        series: [("χ² − χ²min (other parameters refitted)", profile.map(\.transAngle), profile.map { $0.chiSquare - minChi })],
        xLabel: "trans angle (°)", yLabel: "Δχ² (raw)", xRange: (profile.map(\.transAngle).min() ?? 140)...180,
        title: "Profile of the fit in the trans angle\n\(angleText)")),
    ]
  }
}

extension OctahedronFitResult {
  /// File stem -> figure: `octahedron-wavelet` (data, model, residual on one colour scale) and
  /// `octahedron-groups` (each path group's map on the model's colour scale), the tacl6 hinge
  /// window outlined and the point (k 6, R 4.2) marked.
  public func waveletFigures(_ maps: ModelWaveletMaps) -> [(name: String, figure: Figure)] {
    let p = maps.model.parameters
    let subtitle = "Morlet η \(fmt(p.eta)), σ \(fmt(p.sigma)), k^\(fmt(p.kweight)), k \(fmt(p.kmin ?? 0))–\(fmt(p.kmax ?? 0)) Å⁻¹"
    let h = wavelet?.hingeWindow.window ?? HingeParameters.preset("tacl6")!.hinge
    let outlines = [
      (label: "hinge (tacl6)", kmin: h.kmin, kmax: h.kmax, rmin: h.rmin, rmax: h.rmax),
      (label: "", kmin: 5.9, kmax: 6.1, rmin: 4.15, rmax: 4.25),
    ]
    let name = (source as NSString).lastPathComponent
    var groupTitle = "Morlet maps of the model's path groups (they sum to the model's map)\n\(subtitle)"
    if let pt = wavelet?.point {
      let parts = waveletGroupNames.compactMap { g in pt.groups[g].map { "\(g) \(String(format: "%.2f", $0.share))" } }
      groupTitle += String(format: "\n|W_group| / |W_model| at k %.2f, R %.2f: ", pt.k, pt.r) + parts.joined(separator: ", ")
    }
    return [
      ("octahedron-wavelet", PlotFactory.waveletDataModelResidual(
        maps, title: "Octahedron fit of \(name): Morlet maps on one colour scale\n\(subtitle)", outlines: outlines)),
      ("octahedron-groups", PlotFactory.waveletGroups(maps, title: groupTitle, outlines: outlines, clipAboveR: 3)),
    ]
  }
}
