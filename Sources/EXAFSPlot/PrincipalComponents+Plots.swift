// The picture of a principal component analysis: variance per component, IND, the leading components, target transformations.
import EXAFSKit
import Foundation

extension PrincipalComponentModel {
  /// Four panels: variance (%) per component, IND against the number of components, the first
  /// `shown` components, and each target transformation (candidate and reconstruction, offset by 1).
  public func figure(targets: [TargetTransformation], shown: Int, kweight: Int) -> Figure {
    let xLabel = space.isEnergy ? "Energy (eV)" : "k (Å⁻¹)"
    let index = (1...eigenvalues.count).map(Double.init)
    let scree = Axes(
      title: "variance per component", x: Axis("component", range: .fixed(0.5, Double(eigenvalues.count) + 0.5)),
      y: Axis("variance (%)"),
      series: [LineSeries(x: index, y: variances.map { 100 * $0 }, color: .black, width: 1.6)],
      markers: [MarkerLine(Double(indComponents) + 0.5, label: "IND: \(indComponents)", color: PlotColor.cycle[3])],
      legend: .upperRight)
    let indAxes = Axes(
      title: "indicator function (IND)", x: Axis("number of components", range: .fixed(0.5, Double(max(1, ind.count - 1)) + 0.5)),
      y: Axis("IND"),
      series: [LineSeries(x: (1..<ind.count).map(Double.init), y: Array(ind.dropFirst()), color: PlotColor.cycle[0], width: 1.6)],
      legend: .hidden)
    let count = min(max(1, shown), components.count)
    let componentAxes = Axes(
      title: "leading components", x: Axis(xLabel, range: .data), y: Axis("component"),
      series: (0..<count).map {
        LineSeries(x: x, y: components[$0], label: "component \($0 + 1)", color: PlotColor.cycle[$0 % PlotColor.cycle.count])
      })
    var targetSeries: [LineSeries] = []
    for (i, t) in targets.enumerated() {
      let offset = Double(i)
      targetSeries.append(LineSeries(x: x, y: t.data.map { $0 + offset }, label: i == 0 ? "candidate" : nil, color: .black, width: 1.6))
      targetSeries.append(
        LineSeries(x: x, y: t.fit.map { $0 + offset }, label: i == 0 ? "\(t.componentCount) components + mean" : nil,
          color: PlotColor.cycle[3], width: 1.4, dash: .dashed))
    }
    let targetAxes = Axes(
      title: targets.isEmpty ? "no target transformation (--targets)" : "target transformation (offset by 1)",
      x: Axis(xLabel, range: .data), y: Axis(space == .chik ? PlotFactory.chiKLabel(kweight: Double(kweight)) : "normalized μ(E)"),
      series: targetSeries,
      annotations: targets.enumerated().map { i, t in
        TextAnnotation(t.name, x: x.last ?? 0, y: Double(i) + 0.8, anchor: .right, fontSize: 10)
      })
    let title = "Principal components of \(names.count) spectra (\(space.rawValue))\n"
      + "\(indComponents) components by IND, \(fTestComponents()) by the F-test at 5%"
    return Figure(
      width: 1100, height: 800, title: title, panels: [.axes(scree), .axes(indAxes), .axes(componentAxes), .axes(targetAxes)],
      columns: 2)
  }
}
