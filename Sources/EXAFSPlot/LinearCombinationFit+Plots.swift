// The picture of a linear-combination fit: data, fit and weighted standards, and the residual below.
import EXAFSKit
import Foundation

extension LinearCombinationResult {
  /// Two panels: the sample, the fit and each weighted standard over the fit range; the residual
  /// (data - fit) underneath. `space` and `kweight` choose the axis labels.
  public func figure(space: MixtureSpace, kweight: Int, title: String? = nil) -> Figure {
    let xLabel = space.isEnergy ? "Energy (eV)" : "k (Å⁻¹)"
    let yLabel: String
    switch space {
    case .norm: yLabel = "normalized μ(E)"
    case .deriv: yLabel = "d(normalized μ)/dE (eV⁻¹)"
    case .chik: yLabel = PlotFactory.chiKLabel(kweight: Double(kweight))
    }
    var series = [
      LineSeries(x: x, y: data, label: sample, color: .black, width: 2),
      LineSeries(x: x, y: fit, label: "fit", color: PlotColor.cycle[3], width: 1.6, dash: .dashed),
    ]
    for (i, name) in standards.enumerated() {
      series.append(
        LineSeries(
          x: x, y: weightedStandards[i], label: "\(String(format: "%.3f", weights[i])) × \(name)",
          color: PlotColor.cycle[(i + 4) % PlotColor.cycle.count], width: 1.2))
    }
    let top = Axes(x: Axis(xLabel, range: .data), y: Axis(yLabel), series: series)
    let residual = Axes(
      x: Axis(xLabel, range: .data), y: Axis("data − fit"),
      series: [LineSeries(x: x, y: zip(data, fit).map { $0 - $1 }, color: .gray, width: 1.2)],
      markers: [MarkerLine(0, orientation: .horizontal, color: .black, width: 0.8, dash: .solid)], legend: .hidden)
    let heading =
      title
      ?? "\(sample): linear combination of \(standards.count) standards\nR-factor \(String(format: "%.4g", rFactor)), "
      + "reduced χ² \(String(format: "%.4g", reducedChiSquare))"
      + (e0Shift != 0 ? ", E0 shift \(String(format: "%+.2f", e0Shift)) eV" : "")
    return Figure(
      width: 900, height: 700, title: heading, panels: [.axes(top), .axes(residual)], columns: 1,
      rowWeights: [3, 1])
  }
}
