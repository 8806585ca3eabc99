// PlotFactory+Wavelet: wavelet-map figures: one map, and maps side by side on a shared scale with their difference.
import EXAFSKit
import Foundation

extension PlotFactory {
  /// One wavelet map |W(k, R)| with axes k (Å⁻¹) and R (Å), a colour bar and outlined windows.
  ///
  /// - Parameters:
  ///   - k: wavenumber grid of the map's columns, 1/Å.
  ///   - r: distance grid of the map's rows, Å.
  ///   - z: the map, `z[iR][ik]`.
  ///   - title: figure title; put the parameters (wavelet, eta, sigma, kweight) on its second line.
  ///   - colorRange: values at the ends of the colour scale; nil: the map's range. Give several
  ///     maps the same range to compare them by eye.
  ///   - outlines: k-R rectangles to outline (e.g. the hinge window), 1/Å and Å, with labels.
  ///   - colorbarLabel: label of the colour bar.
  public static func waveletPlot(
    k: [Double], r: [Double], z: [[Double]], title: String, colorRange: ClosedRange<Double>? = nil,
    outlines: [(label: String, kmin: Double, kmax: Double, rmin: Double, rmax: Double)] = [],
    colorbarLabel: String = "|W(k, R)|"
  ) -> Figure {
    let map = HeatMap(
      x: k, y: r, z: z, xAxis: Axis("k (Å⁻¹)"), yAxis: Axis("R (Å)"), colorbarLabel: colorbarLabel,
      colorRange: colorRange, outlines: outlineMarks(outlines))
    return Figure(width: 900, height: 620, title: title, panels: [.heatMap(map)])
  }

  /// Two or three wavelet maps side by side on one colour scale, followed by the difference of
  /// the last and the first on a blue-white-red scale symmetric about zero.
  ///
  /// - Parameters:
  ///   - k: wavenumber grid shared by the maps, 1/Å.
  ///   - r: distance grid shared by the maps, Å.
  ///   - maps: the maps (`z[iR][ik]`) with their panel titles.
  ///   - title: figure title (extra lines: parameters).
  ///   - outlines: k-R rectangles outlined on every panel.
  ///   - difference: add the difference panel (skipped when the maps' shapes differ).
  ///   - colorbarLabel: label of the shared colour bar.
  public static func waveletComparison(
    k: [Double], r: [Double], maps: [(label: String, z: [[Double]])], title: String,
    outlines: [(label: String, kmin: Double, kmax: Double, rmin: Double, rmax: Double)] = [],
    difference: Bool = true, colorbarLabel: String = "|W(k, R)|"
  ) -> Figure {
    let marks = outlineMarks(outlines)
    let (lo, hi) = HeatMap.finiteExtent(maps.flatMap(\.z))
    let shared: ClosedRange<Double>? = hi > lo ? lo...hi : nil
    var panels: [Panel] = maps.map { m in
      .heatMap(
        HeatMap(
          x: k, y: r, z: m.z, title: m.label, xAxis: Axis("k (Å⁻¹)"), yAxis: Axis("R (Å)"),
          colorbarLabel: colorbarLabel, colorRange: shared, outlines: marks))
    }
    if difference, let first = maps.first, let last = maps.last, maps.count >= 2,
      let delta = mapDifference(last.z, first.z)
    {
      let diff = HeatMap(
        x: k, y: r, z: delta, title: "\(last.label) − \(first.label)", xAxis: Axis("k (Å⁻¹)"),
        yAxis: Axis("R (Å)"), colorbarLabel: "difference", colormap: .diverging,
        outlines: marks.map {
          var m = $0
          m.stroke = .black
          return m
        })
      panels.append(.heatMap(diff))
    }
    let columns = panels.count <= 3 ? max(panels.count, 1) : 2
    let rows = (panels.count + columns - 1) / max(columns, 1)
    return Figure(
      width: 560 * Double(columns), height: 450 * Double(max(rows, 1)) + 50, title: title, panels: panels,
      columns: columns)
  }

  /// `a - b` element by element; nil when the shapes differ.
  static func mapDifference(_ a: [[Double]], _ b: [[Double]]) -> [[Double]]? {
    guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else { return nil }
    return zip(a, b).map { zip($0, $1).map { $0 - $1 } }
  }

  /// Outlines as white dashed rectangles with their labels.
  static func outlineMarks(
    _ outlines: [(label: String, kmin: Double, kmax: Double, rmin: Double, rmax: Double)]
  ) -> [RegionMark] {
    outlines.map {
      RegionMark(
        xmin: $0.kmin, xmax: $0.kmax, ymin: $0.rmin, ymax: $0.rmax, label: $0.label, stroke: .white, width: 1.6,
        dash: .dashed)
    }
  }
}

extension PlotFactory {
  /// Data, model and residual (data − model) maps of a fit side by side on one colour scale; the
  /// residual's panel title gives its largest |W| in % of the data's.
  public static func waveletDataModelResidual(
    _ maps: ModelWaveletMaps, title: String,
    outlines: [(label: String, kmin: Double, kmax: Double, rmin: Double, rmax: Double)] = []
  ) -> Figure {
    func z(_ m: WaveletMap) -> [[Double]] { (0..<m.r.count).map { m.row($0) } }
    let dataPeak = maps.data.magnitude.max() ?? 0, residualPeak = maps.residual.magnitude.max() ?? 0
    let share = dataPeak > 0 ? 100 * residualPeak / dataPeak : 0
    return waveletComparison(
      k: maps.model.k, r: maps.model.r,
      maps: [("data", z(maps.data)), ("model", z(maps.model)), ("residual (data − model), max \(String(format: "%.1f", share)) % of data's", z(maps.residual))],
      title: title, outlines: outlines, difference: false)
  }

  /// The model's and each group's map, two per row, on one colour scale. With `clipAboveR` the scale
  /// ends at the model's largest |W| at R >= clipAboveR (Å), so that weak outer groups stay visible
  /// (the first shell saturates); nil: the largest |W| of all maps.
  public static func waveletGroups(
    _ maps: ModelWaveletMaps, title: String,
    outlines: [(label: String, kmin: Double, kmax: Double, rmin: Double, rmax: Double)] = [], clipAboveR: Double? = nil
  ) -> Figure {
    let m = maps.model
    let all = [("model", m)] + maps.groups.map { ($0.name, $0.map) }
    var top = 0.0
    for (_, map) in clipAboveR == nil ? all : [all[0]] {
      for i in map.r.indices where map.r[i] >= (clipAboveR ?? -.infinity) {
        for j in map.k.indices { top = max(top, map.magnitude(row: i, col: j)) }
      }
    }
    let range: ClosedRange<Double>? = top > 0 ? 0...top : nil
    let marks = outlineMarks(outlines)
    let panels: [Panel] = all.map { label, map in
      .heatMap(HeatMap(
        x: map.k, y: map.r, z: (0..<map.r.count).map { map.row($0) }, title: label, xAxis: Axis("k (Å⁻¹)"),
        yAxis: Axis("R (Å)"), colorbarLabel: "|W(k, R)|", colorRange: range, outlines: marks))
    }
    let rows = (panels.count + 1) / 2
    let note = clipAboveR.map { "\none colour scale, clipped at the model's largest |W| above R = \(fmt($0)) Å (the first shell saturates)" }
      ?? "\none colour scale"
    return Figure(width: 1120, height: 450 * Double(rows) + 70, title: title + note, panels: panels, columns: 2)
  }
}
