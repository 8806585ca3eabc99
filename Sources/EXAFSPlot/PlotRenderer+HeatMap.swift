// PlotRenderer+HeatMap: draws a heat-map panel: the colour image, outlines, frame and colour bar.
import EXAFSKit
import CCairo
import Foundation

extension PlotRenderer {
  /// Width of the colour bar, points.
  static let colorbarWidth = 18.0
  /// Gap between the plot and the colour bar, points.
  static let colorbarGap = 14.0

  /// The panel's frame; the right margin holds the colour bar, its tick labels and its label.
  static func layoutHeatMap(_ map: HeatMap, in cell: PlotRect, fonts: PlotFonts, canvas: CairoCanvas)
    -> FrameLayout
  {
    // Automatic ends sit on the image's edges: no margin around a heat map.
    func edges(_ range: AxisRange) -> AxisRange { AxisRange(min: range.min, max: range.max, margin: 0) }
    let xRange = resolveRange(edges(map.xAxis.range), extent: HeatMap.cellExtent(map.x))
    let yRange = resolveRange(edges(map.yAxis.range), extent: HeatMap.cellExtent(map.y))
    let bar = colorbarAxis(map, height: cell.height * 0.7)
    canvas.setFont(size: fonts.tick)
    let tickWidth = bar.tickLabels.map { canvas.textWidth($0) }.max() ?? 0
    canvas.setFont(size: fonts.label)
    let labelHeight = map.colorbarLabel.isEmpty ? 0 : canvas.lineHeight + 6
    let extra = colorbarGap + colorbarWidth + fonts.tickLength + 3 + tickWidth + labelHeight
    return layoutFrame(
      cell: cell, title: map.title, x: (map.xAxis.label, xRange), y: (map.yAxis.label, yRange),
      rightExtra: extra, fonts: fonts, canvas: canvas)
  }

  /// The colour bar's value axis for a bar `height` points tall.
  static func colorbarAxis(_ map: HeatMap, height: Double) -> ResolvedAxis {
    let range = map.resolvedColorRange
    return ResolvedAxis(
      label: map.colorbarLabel, lower: range.lowerBound, upper: range.upperBound,
      target: max(2, Int(height / 55)))
  }

  static func drawHeatMap(_ map: HeatMap, in cell: PlotRect, canvas: CairoCanvas, fontSize: Double, vector: Bool) {
    let fonts = PlotFonts(base: fontSize)
    let layout = layoutHeatMap(map, in: cell, fonts: fonts, canvas: canvas)
    let plot = layout.plot
    canvas.setColor(PlotColor(red: 0.6, green: 0.6, blue: 0.6))
    canvas.fill(plot)
    canvas.clipped(to: plot) {
      drawImage(map, layout: layout, canvas: canvas, vector: vector)
      for outline in map.outlines { drawOutline(outline, layout: layout, fonts: fonts, canvas: canvas) }
      drawAnnotations(map.annotations, layout: layout, canvas: canvas)
    }
    drawFrame(layout, title: map.title, cell: cell, fonts: fonts, canvas: canvas)
    drawColorbar(map, layout: layout, fonts: fonts, canvas: canvas)
  }

  /// The map as cairo RGB24 pixels (0x00RRGGBB), `columns` x `rows`, row by row from the top
  /// (last y) down; each pixel shows the grid point nearest to its centre.
  static func imagePixels(_ map: HeatMap, columns: Int, rows: Int) -> [UInt32] {
    let range = map.resolvedColorRange
    let span = range.upperBound - range.lowerBound
    let xIndex = HeatMap.nearestIndices(map.x, extent: HeatMap.cellExtent(map.x), count: columns)
    let yIndex = HeatMap.nearestIndices(map.y, extent: HeatMap.cellExtent(map.y), count: rows)
    var pixels = [UInt32](repeating: 0, count: columns * rows)
    for row in 0..<rows {
      let i = yIndex[rows - 1 - row]
      let zRow = i >= 0 && i < map.z.count ? map.z[i] : []
      for col in 0..<columns {
        let j = xIndex[col]
        let value = j >= 0 && j < zRow.count ? zRow[j] : .nan
        let c = map.colormap.color(at: value.isFinite ? (value - range.lowerBound) / span : .nan)
        pixels[row * columns + col] = packRGB(c)
      }
    }
    return pixels
  }

  /// A colour as a cairo RGB24 pixel, 0x00RRGGBB.
  static func packRGB(_ c: PlotColor) -> UInt32 {
    func byte(_ v: Double) -> UInt32 { UInt32((min(max(v, 0), 1) * 255).rounded()) }
    return (byte(c.red) << 16) | (byte(c.green) << 8) | byte(c.blue)
  }

  /// An RGB24 image surface holding `pixels` (`columns` x `rows`); nil if cairo cannot make one.
  static func imageSurface(_ pixels: [UInt32], columns: Int, rows: Int) -> OpaquePointer? {
    guard columns > 0, rows > 0,
      let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(columns), Int32(rows))
    else { return nil }
    cairo_surface_flush(surface)
    let stride = Int(cairo_image_surface_get_stride(surface))
    if let data = cairo_image_surface_get_data(surface) {
      for row in 0..<rows {
        let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
        for col in 0..<columns { line[col] = pixels[row * columns + col] }
      }
    }
    cairo_surface_mark_dirty(surface)
    return surface
  }

  /// Paints `surface` (w x h pixels) stretched over `target` (device points).
  static func paintImage(
    _ surface: OpaquePointer, size: (Int, Int), over target: PlotRect, smooth: Bool, pad: Bool, canvas: CairoCanvas
  ) {
    let cr = canvas.cr
    cairo_save(cr)
    cairo_rectangle(cr, target.x, target.y, target.width, target.height)
    cairo_clip(cr)
    cairo_translate(cr, target.x, target.y)
    cairo_scale(cr, target.width / Double(size.0), target.height / Double(size.1))
    cairo_set_source_surface(cr, surface, 0, 0)
    if let pattern = cairo_get_source(cr) {
      cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
      if pad { cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD) }
    }
    cairo_paint(cr)
    cairo_restore(cr)
  }

  static func drawImage(_ map: HeatMap, layout: FrameLayout, canvas: CairoCanvas, vector: Bool) {
    let columns = map.x.count
    let rows = map.y.count
    guard columns > 0, rows > 0, columns * rows <= 16_000_000 else { return }
    let pixels = imagePixels(map, columns: columns, rows: rows)
    guard let surface = imageSurface(pixels, columns: columns, rows: rows) else { return }
    defer { cairo_surface_destroy(surface) }
    let (x0, x1) = HeatMap.cellExtent(map.x)
    let (y0, y1) = HeatMap.cellExtent(map.y)
    let (xMap, yMap) = (layout.xMap, layout.yMap)
    let target = PlotRect(
      x: min(xMap(x0), xMap(x1)), y: min(yMap(y1), yMap(y0)), width: abs(xMap(x1) - xMap(x0)),
      height: abs(yMap(y0) - yMap(y1)))
    paintImage(surface, size: (columns, rows), over: target, smooth: map.smooth, pad: !vector, canvas: canvas)
  }

  /// An outline over the image: the rectangle and its label just inside the top-left corner.
  static func drawOutline(_ outline: RegionMark, layout: FrameLayout, fonts: PlotFonts, canvas: CairoCanvas) {
    let r = regionRect(outline, layout: layout)
    if let fill = outline.fill {
      canvas.setColor(fill)
      canvas.fill(r)
    }
    let stroke = outline.stroke ?? .white
    canvas.setColor(stroke)
    canvas.setLine(width: outline.width, dash: outline.dash)
    canvas.stroke(r)
    if let label = outline.label, !label.isEmpty {
      canvas.setFont(size: fonts.tick, bold: true)
      canvas.text(label, x: r.x + 4, y: max(r.y, layout.plot.y) + 4, baseline: .top)
    }
  }

  /// The colour bar to the right of the plot: gradient, frame, ticks, tick labels, label.
  static func drawColorbar(_ map: HeatMap, layout: FrameLayout, fonts: PlotFonts, canvas: CairoCanvas) {
    let plot = layout.plot
    let bar = PlotRect(x: plot.maxX + colorbarGap, y: plot.y, width: colorbarWidth, height: plot.height)
    let steps = 256
    let gradient = (0..<steps).map { i in packRGB(map.colormap.color(at: Double(steps - 1 - i) / Double(steps - 1))) }
    if let surface = imageSurface(gradient, columns: 1, rows: steps) {
      paintImage(surface, size: (1, steps), over: bar, smooth: true, pad: true, canvas: canvas)
      cairo_surface_destroy(surface)
    }
    canvas.setColor(.black)
    canvas.setLine(width: 1)
    canvas.stroke(bar)
    let axis = colorbarAxis(map, height: bar.height)
    let yMap = LinearMap(lower: axis.lower, upper: axis.upper, start: bar.maxY, end: bar.y)
    canvas.setFont(size: fonts.tick)
    var widest = 0.0
    for (t, text) in zip(axis.ticks, axis.tickLabels) {
      let py = yMap(t)
      canvas.line(bar.maxX, py, bar.maxX + fonts.tickLength, py)
      canvas.text(text, x: bar.maxX + fonts.tickLength + 3, y: py, baseline: .middle)
      widest = max(widest, canvas.textWidth(text))
    }
    canvas.setFont(size: fonts.label)
    canvas.text(
      axis.label, x: bar.maxX + fonts.tickLength + 3 + widest + 6, y: (bar.y + bar.maxY) / 2, align: .center,
      baseline: .top, rotated: true)
  }
}
