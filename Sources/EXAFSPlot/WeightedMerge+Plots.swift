// The picture of a merge: every scan and the merge in the merged quantity, on one line or stacked.
import EXAFSKit
import Foundation

extension WeightedMerge {
  /// Every scan (labelled with its weight) and the weighted mean (black, last) on the merge grid;
  /// `spacing` stacks or offsets them (`exafs merge --plot --stack`).
  public func figure(spacing: OverlaySpacing = .none) -> Figure {
    let x = merged.x
    var series: [(label: String, x: [Double], y: [Double])] = []
    for (i, curve) in curves.enumerated() where i < merged.names.count && i < weights.count {
      series.append(("\(merged.names[i]) (weight \(String(format: "%.3f", weights[i])))", x, curve))
    }
    series.append(("merge", x, merged.mean))
    let (xLabel, yLabel): (String, String)
    switch quantity {
    case .mu: (xLabel, yLabel) = ("E (eV)", "μ(E)")
    case .norm: (xLabel, yLabel) = ("E (eV)", "normalized μ(E)")
    case .chi: (xLabel, yLabel) = ("k (Å⁻¹)", PlotFactory.chiKLabel(kweight: 0))
    }
    var figure = PlotFactory.overlay(
      series: series, xLabel: xLabel, yLabel: yLabel, spacing: spacing,
      title: "Merge of \(curves.count) scans (\(quantity.rawValue))\nlargest stddev \(String(format: "%.4g", merged.stddev.max() ?? 0))")
    // The merge in black and thicker, so it stands out from the scans.
    if case .axes(var axes) = figure.panels[0], var last = axes.series.popLast() {
      last.color = .black
      last.width = 2.2
      axes.series.append(last)
      figure.panels[0] = .axes(axes)
    }
    return figure
  }
}
