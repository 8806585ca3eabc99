// PlotRenderer+Axes: draws a line-plot panel (regions, curves, marker lines, text) and its legend.
import EXAFSKit
import CCairo
import Foundation

extension PlotRenderer {
  /// The panel's resolved frame: automatic x from all series, automatic y from the points
  /// whose x is inside the visible x range.
  static func layoutAxes(_ axes: Axes, in cell: PlotRect, fonts: PlotFonts, canvas: CairoCanvas) -> FrameLayout {
    let xRange = resolveRange(axes.xAxis.range, extent: extent(axes.series.map(\.x)))
    var ys: [Double] = []
    for s in axes.series {
      for (x, y) in zip(s.x, s.y) where x >= xRange.0 && x <= xRange.1 { ys.append(y) }
    }
    let yRange = resolveRange(axes.yAxis.range, extent: extent([ys]))
    return layoutFrame(
      cell: cell, title: axes.title, x: (axes.xAxis.label, xRange), y: (axes.yAxis.label, yRange),
      rightExtra: 0, fonts: fonts, canvas: canvas)
  }

  /// Smallest and largest finite value over all arrays; nil when there is none.
  static func extent(_ arrays: [[Double]]) -> (Double, Double)? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for a in arrays {
      for v in a where v.isFinite {
        lo = min(lo, v)
        hi = max(hi, v)
      }
    }
    return lo <= hi ? (lo, hi) : nil
  }

  static func drawAxes(_ axes: Axes, in cell: PlotRect, canvas: CairoCanvas, fontSize: Double) {
    let fonts = PlotFonts(base: fontSize)
    let layout = layoutAxes(axes, in: cell, fonts: fonts, canvas: canvas)
    let (plot, xMap, yMap) = (layout.plot, layout.xMap, layout.yMap)
    let colors = seriesColors(axes.series)
    canvas.clipped(to: plot) {
      if axes.grid { drawGrid(layout, canvas: canvas) }
      for region in axes.regions {
        let r = regionRect(region, layout: layout)
        if let fill = region.fill {
          canvas.setColor(fill)
          canvas.fill(r)
        }
        if let stroke = region.stroke {
          canvas.setColor(stroke)
          canvas.setLine(width: region.width, dash: region.dash)
          canvas.stroke(r)
        }
      }
      for (s, color) in zip(axes.series, colors) {
        canvas.setColor(color)
        canvas.setLine(width: s.width, dash: s.dash)
        canvas.polyline(s.x, s.y, xMap: xMap, yMap: yMap)
      }
      for m in axes.markers where m.value.isFinite {
        canvas.setColor(m.color)
        canvas.setLine(width: m.width, dash: m.dash)
        switch m.orientation {
        case .vertical: canvas.line(xMap(m.value), plot.y, xMap(m.value), plot.maxY)
        case .horizontal: canvas.line(plot.x, yMap(m.value), plot.maxX, yMap(m.value))
        }
      }
      drawAnnotations(axes.annotations, layout: layout, canvas: canvas)
    }
    drawFrame(layout, title: axes.title, cell: cell, fonts: fonts, canvas: canvas)
    drawLegend(axes, colors: colors, layout: layout, fonts: fonts, canvas: canvas)
  }

  /// Each series' colour: its own, or the next one of `PlotColor.cycle`.
  static func seriesColors(_ series: [LineSeries]) -> [PlotColor] {
    var next = 0
    return series.map { s in
      if let c = s.color { return c }
      defer { next += 1 }
      return PlotColor.cycle[next % PlotColor.cycle.count]
    }
  }

  /// A region's rectangle in device points (full height when ymin/ymax are nil).
  static func regionRect(_ region: RegionMark, layout: FrameLayout) -> PlotRect {
    let (xMap, yMap, plot) = (layout.xMap, layout.yMap, layout.plot)
    let x0 = region.xmin.isFinite ? xMap(region.xmin) : plot.x
    let x1 = region.xmax.isFinite ? xMap(region.xmax) : plot.maxX
    let y0 = region.ymax.map { $0.isFinite ? yMap($0) : plot.y } ?? plot.y - 2
    let y1 = region.ymin.map { $0.isFinite ? yMap($0) : plot.maxY } ?? plot.maxY + 2
    return PlotRect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
  }

  // MARK: - Legend

  /// One legend row: a line sample or a filled swatch, and its text.
  enum LegendKey {
    case line(PlotColor, Double, LineDash)
    case swatch(fill: PlotColor?, stroke: PlotColor?)
  }

  static func legendEntries(_ axes: Axes, colors: [PlotColor]) -> [(LegendKey, String)] {
    var entries: [(LegendKey, String)] = []
    for (s, c) in zip(axes.series, colors) {
      if let label = s.label, !label.isEmpty { entries.append((.line(c, s.width, s.dash), label)) }
    }
    for m in axes.markers {
      if let label = m.label, !label.isEmpty { entries.append((.line(m.color, m.width, m.dash), label)) }
    }
    for r in axes.regions {
      if let label = r.label, !label.isEmpty { entries.append((.swatch(fill: r.fill, stroke: r.stroke), label)) }
    }
    return entries
  }

  static func drawLegend(
    _ axes: Axes, colors: [PlotColor], layout: FrameLayout, fonts: PlotFonts, canvas: CairoCanvas
  ) {
    let entries = legendEntries(axes, colors: colors)
    guard axes.legend != .hidden, !entries.isEmpty else { return }
    canvas.setFont(size: fonts.tick)
    let rowHeight = canvas.lineHeight + 4
    let sample = 28.0
    let pad = 7.0
    let textWidth = entries.map { canvas.textWidth($0.1) }.max() ?? 0
    let size = (width: pad * 2 + sample + 8 + textWidth, height: pad * 2 + rowHeight * Double(entries.count) - 4)
    let box = legendBox(axes, size: size, layout: layout)
    canvas.setColor(PlotColor.white.withAlpha(0.88))
    canvas.fill(box)
    canvas.setColor(PlotColor(red: 0.75, green: 0.75, blue: 0.75))
    canvas.setLine(width: 0.8)
    canvas.stroke(box)
    for (i, (key, label)) in entries.enumerated() {
      let middle = box.y + pad + rowHeight * Double(i) + (rowHeight - 4) / 2
      let x0 = box.x + pad
      switch key {
      case .line(let color, let width, let dash):
        canvas.setColor(color)
        canvas.setLine(width: width, dash: dash)
        canvas.line(x0, middle, x0 + sample, middle)
      case .swatch(let fill, let stroke):
        let r = PlotRect(x: x0 + 4, y: middle - rowHeight * 0.32, width: sample - 8, height: rowHeight * 0.64)
        if let fill {
          canvas.setColor(fill)
          canvas.fill(r)
        }
        if let stroke {
          canvas.setColor(stroke)
          canvas.setLine(width: 1.2)
          canvas.stroke(r)
        }
      }
      canvas.setColor(.black)
      canvas.text(label, x: x0 + sample + 8, y: middle, baseline: .middle)
    }
  }

  /// Where the legend box goes: the requested corner, or for `.best` the corner covering the
  /// fewest curve points (ties: upper right, upper left, lower right, lower left).
  static func legendBox(_ axes: Axes, size: (width: Double, height: Double), layout: FrameLayout) -> PlotRect {
    let plot = layout.plot
    let inset = 8.0
    func corner(_ position: LegendPosition) -> PlotRect {
      let left = plot.x + inset
      let right = plot.maxX - inset - size.width
      let top = plot.y + inset
      let bottom = plot.maxY - inset - size.height
      switch position {
      case .upperLeft: return PlotRect(x: left, y: top, width: size.width, height: size.height)
      case .lowerRight: return PlotRect(x: right, y: bottom, width: size.width, height: size.height)
      case .lowerLeft: return PlotRect(x: left, y: bottom, width: size.width, height: size.height)
      default: return PlotRect(x: right, y: top, width: size.width, height: size.height)
      }
    }
    guard axes.legend == .best else { return corner(axes.legend) }
    let candidates: [LegendPosition] = [.upperRight, .upperLeft, .lowerRight, .lowerLeft]
    let boxes = candidates.map(corner)
    var counts = [Int](repeating: 0, count: boxes.count)
    let (xMap, yMap) = (layout.xMap, layout.yMap)
    for s in axes.series {
      let n = min(s.x.count, s.y.count)
      let stride = max(1, n / 2000)
      for i in Swift.stride(from: 0, to: n, by: stride) where s.x[i].isFinite && s.y[i].isFinite {
        let (px, py) = (xMap(s.x[i]), yMap(s.y[i]))
        for (j, b) in boxes.enumerated() where b.contains(px, py) { counts[j] += 1 }
      }
    }
    let best = counts.indices.min { counts[$0] < counts[$1] } ?? 0
    return boxes[best]
  }
}
