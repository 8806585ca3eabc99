// PlotRenderer+Frame: the parts every panel shares: axis ranges, ticks, margins, frame, labels, title.
import EXAFSKit
import CCairo
import Foundation

/// One axis after layout: its visible range and its ticks.
struct ResolvedAxis {
  /// Visible range, axis units.
  var lower: Double
  var upper: Double
  /// Tick positions inside the range, and their spacing.
  var ticks: [Double]
  var step: Double
  /// Axis label; empty for none.
  var label: String

  init(label: String, lower: Double, upper: Double, target: Int) {
    self.label = label
    self.lower = lower
    self.upper = upper
    self.ticks = NiceTicks.ticks(lower: lower, upper: upper, target: target)
    self.step = NiceTicks.step(span: upper - lower, target: target)
  }

  var tickLabels: [String] { ticks.map { NiceTicks.label($0, step: step) } }
}

/// The plot area of a panel with its two axes and the maps from data to device points.
struct FrameLayout {
  var plot: PlotRect
  var x: ResolvedAxis
  var y: ResolvedAxis

  var xMap: LinearMap { LinearMap(lower: x.lower, upper: x.upper, start: plot.x, end: plot.maxX) }
  var yMap: LinearMap { LinearMap(lower: y.lower, upper: y.upper, start: plot.maxY, end: plot.y) }
}

/// Sizes shared by all panels, derived from the figure's base font size.
struct PlotFonts {
  var tick: Double
  var label: Double
  var title: Double
  var tickLength: Double { 5 }

  init(base: Double) {
    let b = base.isFinite && base > 2 ? base : 12
    tick = b
    label = b * 1.15
    title = b * 1.2
  }
}

extension PlotRenderer {
  /// The visible range for data spanning `extent` (nil when there are no finite data): fixed ends
  /// where given, otherwise the data's ends widened by `margin` of the span; never empty.
  static func resolveRange(_ range: AxisRange, extent: (Double, Double)?) -> (Double, Double) {
    let margin = range.margin.isFinite ? max(range.margin, 0) : 0
    var lo = range.min.flatMap { $0.isFinite ? $0 : nil }
    var hi = range.max.flatMap { $0.isFinite ? $0 : nil }
    let (dataLo, dataHi) = extent ?? (lo ?? 0, hi ?? 1)
    let span = dataHi - dataLo
    if lo == nil { lo = dataLo - margin * span }
    if hi == nil { hi = dataHi + margin * span }
    var a = lo ?? 0
    var b = hi ?? 1
    if a > b { swap(&a, &b) }
    if b - a <= max(abs(a), abs(b)) * 1e-12 {
      let pad = a == 0 ? 1 : abs(a) * 0.05
      if range.min == nil { a -= pad }
      if range.max == nil || range.min != nil { b += pad }
    }
    return (a, b)
  }

  /// Lays out a panel in `cell`: room for the title, the tick labels and the axis labels, and
  /// `rightExtra` points on the right (the colour bar of a heat map).
  static func layoutFrame(
    cell: PlotRect, title: String?, x: (label: String, range: (Double, Double)),
    y: (label: String, range: (Double, Double)), rightExtra: Double, fonts: PlotFonts, canvas: CairoCanvas
  ) -> FrameLayout {
    canvas.setFont(size: fonts.title, bold: true)
    let top = (title?.isEmpty == false) ? canvas.lineHeight + 10 : fonts.tick * 0.9
    canvas.setFont(size: fonts.label)
    let labelHeight = canvas.lineHeight
    canvas.setFont(size: fonts.tick)
    let tickHeight = canvas.lineHeight
    let bottom = fonts.tickLength + 3 + tickHeight + (x.label.isEmpty ? 0 : labelHeight + 4) + 4
    let plotHeight = max(cell.height - top - bottom, 20)
    let yAxis = ResolvedAxis(
      label: y.label, lower: y.range.0, upper: y.range.1, target: max(2, Int(plotHeight / 55)))
    let tickWidth = yAxis.tickLabels.map { canvas.textWidth($0) }.max() ?? 0
    let left = 6 + (y.label.isEmpty ? 0 : labelHeight + 6) + tickWidth + 4 + fonts.tickLength
    let right = max(fonts.tick * 1.6, 12) + rightExtra
    let plot = cell.inset(left: left, top: top, right: right, bottom: bottom)
    let xAxis = ResolvedAxis(
      label: x.label, lower: x.range.0, upper: x.range.1, target: max(2, Int(plot.width / 85)))
    return FrameLayout(plot: plot, x: xAxis, y: yAxis)
  }

  /// Light grid lines at the ticks, under the data.
  static func drawGrid(_ layout: FrameLayout, canvas: CairoCanvas) {
    canvas.setColor(.gridGray)
    canvas.setLine(width: 0.8)
    let (xMap, yMap, plot) = (layout.xMap, layout.yMap, layout.plot)
    for t in layout.x.ticks { canvas.line(xMap(t), plot.y, xMap(t), plot.maxY) }
    for t in layout.y.ticks { canvas.line(plot.x, yMap(t), plot.maxX, yMap(t)) }
  }

  /// The frame, outward ticks with their labels, the axis labels and the panel title.
  static func drawFrame(
    _ layout: FrameLayout, title: String?, cell: PlotRect, fonts: PlotFonts, canvas: CairoCanvas
  ) {
    let (plot, xMap, yMap) = (layout.plot, layout.xMap, layout.yMap)
    canvas.setColor(.black)
    canvas.setLine(width: 1)
    canvas.stroke(plot)
    canvas.setFont(size: fonts.tick)
    let tickLabelGap = fonts.tickLength + 3
    for (t, text) in zip(layout.x.ticks, layout.x.tickLabels) {
      let px = xMap(t)
      canvas.line(px, plot.maxY, px, plot.maxY + fonts.tickLength)
      canvas.text(text, x: px, y: plot.maxY + tickLabelGap, align: .center, baseline: .top)
    }
    var widest = 0.0
    for (t, text) in zip(layout.y.ticks, layout.y.tickLabels) {
      let py = yMap(t)
      canvas.line(plot.x - fonts.tickLength, py, plot.x, py)
      canvas.text(text, x: plot.x - tickLabelGap, y: py, align: .right, baseline: .middle)
      widest = max(widest, canvas.textWidth(text))
    }
    let tickHeight = canvas.lineHeight
    canvas.setFont(size: fonts.label)
    canvas.text(
      layout.x.label, x: (plot.x + plot.maxX) / 2, y: plot.maxY + tickLabelGap + tickHeight + 4,
      align: .center, baseline: .top)
    canvas.text(
      layout.y.label, x: plot.x - tickLabelGap - widest - 6, y: (plot.y + plot.maxY) / 2, align: .center,
      baseline: .bottom, rotated: true)
    if let title, !title.isEmpty {
      canvas.setFont(size: fonts.title, bold: true)
      canvas.text(title, x: (plot.x + plot.maxX) / 2, y: plot.y - 6, align: .center, baseline: .bottom)
    }
  }

  /// Device position of an annotation.
  static func annotationPoint(_ a: TextAnnotation, layout: FrameLayout) -> (Double, Double) {
    switch a.coordinates {
    case .data: return (layout.xMap(a.x), layout.yMap(a.y))
    case .fraction:
      let p = layout.plot
      return (p.x + a.x * p.width, p.maxY - a.y * p.height)
    }
  }

  static func drawAnnotations(_ annotations: [TextAnnotation], layout: FrameLayout, canvas: CairoCanvas) {
    for a in annotations {
      let (px, py) = annotationPoint(a, layout: layout)
      guard px.isFinite, py.isFinite else { continue }
      canvas.setFont(size: a.fontSize.isFinite && a.fontSize > 0 ? a.fontSize : 12)
      canvas.setColor(a.color)
      let align: TextAlign = a.anchor == .left ? .left : a.anchor == .center ? .center : .right
      canvas.text(a.text, x: px, y: py, align: align)
    }
  }
}
