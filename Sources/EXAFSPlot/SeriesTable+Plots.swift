// The trend figure of a series: e0, edge step, first-shell R and |chi(R)|, hinge ratio (and a
// fitted trans angle) against elapsed time or scan index, stacked, with uncertainty bars.
import EXAFSKit
import Foundation

extension SeriesTable {
  /// File stem of the series figure in the output folder (`series.png`).
  public static let figureStem = "series"

  /// One quantity of the series: panel title, y-axis label, values and uncertainties by row.
  struct Quantity: Sendable {
    var title: String
    var label: String
    var value: @Sendable (SeriesRow) -> Double?
    var uncertainty: @Sendable (SeriesRow) -> Double?
  }

  static let quantities: [Quantity] = [
    Quantity(title: "edge energy E0", label: "E0 (eV)", value: { $0.e0 }, uncertainty: { _ in nil }),
    Quantity(title: "edge step", label: "edge step", value: { $0.edgeStep }, uncertainty: { _ in nil }),
    Quantity(title: "first-shell peak position", label: "R (Å)", value: { $0.firstShellR }, uncertainty: { _ in nil }),
    Quantity(title: "first-shell peak height", label: "|χ(R)| (Å⁻ʷ⁻¹)", value: { $0.firstShellMag }, uncertainty: { _ in nil }),
    Quantity(title: "hinge ratio (± 1σ, Monte Carlo over the measured noise)", label: "hinge ratio", value: { $0.hingeRatio }, uncertainty: { $0.hingeUncertainty }),
    Quantity(title: "fitted trans angle (± profile uncertainty)", label: "trans angle (°)", value: { $0.transAngle }, uncertainty: { $0.transAngleUncertainty }),
  ]

  /// The x axis: its label and each row's position on it (nil: not placed, e.g. a failed row on
  /// the time axis). Elapsed time is shown in s up to 5 min, in min up to 5 h, in h up to 3 days,
  /// else in days.
  func xPositions() -> (label: String, x: [Double?]) {
    switch axis {
    case .index:
      return ("scan index (input order)", rows.map { Double($0.index) })
    case .elapsed:
      let span = rows.compactMap(\.elapsed).max() ?? 0
      let (unit, scale) =
        span <= 300 ? ("s", 1.0) : span <= 5 * 3600 ? ("min", 60.0) : span <= 3 * 86_400 ? ("h", 3600.0) : ("days", 86_400.0)
      return ("time since the first scan (\(unit))", rows.map { r in r.status == .ok ? r.elapsed.map { $0 / scale } : nil })
    }
  }

  /// The trend figure: one panel per quantity that some processed spectrum has, stacked, sharing
  /// the x axis. Each spectrum is a dot, joined in x order by a thin line that breaks where a value
  /// is missing; uncertainty bars (± 1 standard uncertainty, with caps) are drawn only for the
  /// hinge ratio and the trans angle, the quantities the pipeline estimates one for. On the index
  /// axis a failed spectrum is a red dotted vertical line. nil when no spectrum was processed.
  public func figure(title: String? = nil) -> Figure? {
    let ok = processed
    guard !ok.isEmpty else { return nil }
    let (xLabel, xs) = xPositions()
    let placed = xs.compactMap { $0 }
    let (xmin, xmax) = (placed.min() ?? 0, placed.max() ?? 1)
    let pad = max((xmax - xmin) * 0.04, axis == .index ? 0.6 : 1e-3)
    let xRange = AxisRange.fixed(xmin - pad, xmax + pad)
    let cap = (xmax - xmin + 2 * pad) * 0.006
    let order = rows.indices.filter { xs[$0] != nil }.sorted { (xs[$0] ?? 0, $0) < (xs[$1] ?? 0, $1) }
    let color = PlotColor(hex: 0x1F4E9A)
    var panels: [Panel] = []
    let shown = Self.quantities.filter { q in ok.contains { q.value($0) != nil } }
    for (n, q) in shown.enumerated() {
      var line = (x: [Double](), y: [Double]())
      var dots = (x: [Double](), y: [Double]())
      var bars = (x: [Double](), y: [Double]())
      for i in order {
        guard let x = xs[i], let y = q.value(rows[i]) else {
          line.x.append(.nan)
          line.y.append(.nan)
          continue
        }
        line.x.append(x)
        line.y.append(y)
        dots.x += [x, x, .nan]
        dots.y += [y, y, .nan]
        if let u = q.uncertainty(rows[i]), u > 0 {
          bars.x += [x, x, .nan, x - cap, x + cap, .nan, x - cap, x + cap, .nan]
          bars.y += [y - u, y + u, .nan, y - u, y - u, .nan, y + u, y + u, .nan]
        }
      }
      var failedMarkers: [MarkerLine] = []
      if axis == .index {
        failedMarkers = rows.filter { $0.status == .failed }.map {
          MarkerLine(Double($0.index), color: PlotColor(hex: 0xD62728), width: 1.2, dash: .dotted)
        }
      }
      panels.append(
        .axes(
          Axes(
            title: q.title, x: Axis(n == shown.count - 1 ? xLabel : "", range: xRange), y: Axis(q.label),
            series: [
              LineSeries(x: line.x, y: line.y, color: color.withAlpha(0.45), width: 1),
              LineSeries(x: bars.x, y: bars.y, color: .black, width: 1.1),
              LineSeries(x: dots.x, y: dots.y, color: color, width: 6, dash: .dotted),
            ],
            markers: failedMarkers, legend: .hidden)))
    }
    let failed = rows.count - ok.count
    let heading = title ?? "Series of \(rows.count) spectr\(rows.count == 1 ? "um" : "a")" + (failed > 0 ? " (\(failed) failed)" : "")
    let subtitle = notes.first ?? ""
    return Figure(
      width: 900, height: 70 + 170 * Double(panels.count), title: heading + "\n" + subtitle, panels: panels, columns: 1)
  }

  /// Draws `figure()` as `series.FORMAT` into `folder` (atomically) and returns the file name; nil
  /// when there is nothing to draw.
  /// - Throws: `PlotError`, or `EXAFSError.writeFailed`.
  public func writeFigure(toFolder folder: String, format: PlotFormat = .png) throws -> String? {
    guard let figure = figure() else { return nil }
    let name = "\(Self.figureStem).\(format.fileExtension)"
    try figure.write(to: (folder as NSString).appendingPathComponent(name), format: format)
    return name
  }
}
