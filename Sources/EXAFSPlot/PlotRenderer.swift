// PlotRenderer: turns a Figure into PNG, SVG or PDF bytes through cairo, and writes them atomically.
import EXAFSKit
import CCairo
import Foundation

/// Output format of a rendered figure.
public enum PlotFormat: String, Sendable, Codable, CaseIterable {
  /// Raster image, `width * pixelScale` by `height * pixelScale` pixels.
  case png
  /// Scalable vector graphics (heat maps embedded as images).
  case svg
  /// PDF, one page of `width` by `height` points.
  case pdf

  /// The file-name extension, without the dot.
  public var fileExtension: String { rawValue }

  /// The format named by a path's extension (`.png`, `.svg`, `.pdf`, any case); nil otherwise.
  public init?(path: String) {
    let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
    self.init(rawValue: ext)
  }
}

/// Why a figure could not be rendered.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The figure's size or pixel scale is not a positive, reasonable number.
  case invalidSize(width: Double, height: Double, scale: Double)
  /// cairo reported an error (out of memory, write error ...); the message is cairo's.
  case cairo(String)

  /// What went wrong and what to do, for the user.
  public var description: String {
    switch self {
    case .invalidSize(let w, let h, let s):
      return "cannot draw a figure of \(w) x \(h) points at pixel scale \(s): "
        + "use a size between 10 and 20000 points and a scale between 0.1 and 10"
    case .cairo(let message): return "the graphics library (cairo) failed: \(message)"
    }
  }
}

/// Renders figures with cairo.
public enum PlotRenderer {
  /// The figure encoded as `format`.
  ///
  /// PNG output is deterministic (the same figure gives the same bytes); SVG and PDF embed
  /// heat maps as images and text as glyph outlines from DejaVu Sans.
  /// - Throws: `PlotError` when the size is invalid or cairo fails.
  public static func render(_ figure: Figure, format: PlotFormat) throws -> Data {
    try validate(figure)
    switch format {
    case .png: return try rasterize(figure).png
    case .svg, .pdf: return try vector(figure, format: format)
    }
  }

  /// Renders `figure` and writes it to `path` atomically (temporary file in the same folder,
  /// then rename). `format` nil: taken from the extension of `path` (PNG when unknown).
  /// - Throws: `PlotError`, or `EXAFSError.writeFailed` when the file cannot be written.
  public static func write(_ figure: Figure, to path: String, format: PlotFormat? = nil) throws {
    let data = try render(figure, format: format ?? PlotFormat(path: path) ?? .png)
    try AtomicWriter.write(data, to: path)
  }

  static func validate(_ figure: Figure) throws {
    let sizeOK =
      figure.width.isFinite && figure.height.isFinite && (10...20000).contains(figure.width)
      && (10...20000).contains(figure.height)
    let scaleOK = figure.pixelScale.isFinite && (0.1...10).contains(figure.pixelScale)
    guard sizeOK, scaleOK, figure.width * figure.height * figure.pixelScale * figure.pixelScale <= 1e8 else {
      throw PlotError.invalidSize(width: figure.width, height: figure.height, scale: figure.pixelScale)
    }
  }

  // MARK: - Surfaces

  /// A rendered raster: the pixels (cairo RGB24, 0x00RRGGBB per pixel, row by row) and the PNG.
  struct Raster {
    var width: Int
    var height: Int
    var pixels: [UInt32]
    var png: Data

    /// The pixel at column `x`, row `y` as (red, green, blue) in 0...255.
    func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
      let p = pixels[y * width + x]
      return (Int((p >> 16) & 0xFF), Int((p >> 8) & 0xFF), Int(p & 0xFF))
    }
  }

  /// Draws `figure` on an image surface; returns its pixels and its PNG encoding.
  static func rasterize(_ figure: Figure) throws -> Raster {
    let width = Int((figure.width * figure.pixelScale).rounded())
    let height = Int((figure.height * figure.pixelScale).rounded())
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else {
      throw PlotError.cairo("cannot create an image surface")
    }
    defer { cairo_surface_destroy(surface) }
    try draw(figure, on: surface, scale: figure.pixelScale, format: .png)
    cairo_surface_flush(surface)
    var pixels = [UInt32](repeating: 0, count: width * height)
    let stride = Int(cairo_image_surface_get_stride(surface))
    if let data = cairo_image_surface_get_data(surface) {
      for row in 0..<height {
        let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
        for col in 0..<width { pixels[row * width + col] = line[col] }
      }
    }
    let sink = ByteSink()
    let status = cairo_surface_write_to_png_stream(surface, cairoWriteToSink, Unmanaged.passUnretained(sink).toOpaque())
    guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.cairo(statusText(status)) }
    return Raster(width: width, height: height, pixels: pixels, png: sink.data)
  }

  /// Draws `figure` on an SVG or PDF stream surface and returns the document bytes.
  static func vector(_ figure: Figure, format: PlotFormat) throws -> Data {
    let sink = ByteSink()
    let closure = Unmanaged.passUnretained(sink).toOpaque()
    let created: OpaquePointer?
    if format == .svg {
      created = cairo_svg_surface_create_for_stream(cairoWriteToSink, closure, figure.width, figure.height)
    } else {
      created = cairo_pdf_surface_create_for_stream(cairoWriteToSink, closure, figure.width, figure.height)
    }
    guard let surface = created else { throw PlotError.cairo("cannot create a \(format.rawValue) surface") }
    if format == .pdf {
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "EXAFSKit")
      if let title = figure.title?.split(separator: "\n").first {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, String(title))
      }
    }
    do {
      try draw(figure, on: surface, scale: 1, format: format)
    } catch {
      cairo_surface_destroy(surface)
      throw error
    }
    cairo_surface_finish(surface)
    let status = cairo_surface_status(surface)
    cairo_surface_destroy(surface)
    guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.cairo(statusText(status)) }
    return withExtendedLifetime(sink) { sink.data }
  }

  static func statusText(_ status: cairo_status_t) -> String {
    guard let text = cairo_status_to_string(status) else { return "status \(status.rawValue)" }
    return String(cString: text)
  }

  // MARK: - Figure layout

  /// Draws the whole figure: white background, overall title, then each panel in its cell.
  static func draw(_ figure: Figure, on surface: OpaquePointer, scale: Double, format: PlotFormat) throws {
    guard let cr = cairo_create(surface) else { throw PlotError.cairo("cannot create a drawing context") }
    defer { cairo_destroy(cr) }
    let canvas = CairoCanvas(cr)
    cairo_scale(cr, scale, scale)
    canvas.setColor(.white)
    canvas.fill(PlotRect(x: 0, y: 0, width: figure.width, height: figure.height))
    let cells = panelCells(figure, canvas: canvas)
    drawTitle(figure, canvas: canvas)
    for (panel, cell) in zip(figure.panels, cells) {
      switch panel {
      case .axes(let axes): drawAxes(axes, in: cell, canvas: canvas, fontSize: figure.fontSize)
      case .heatMap(let map):
        drawHeatMap(map, in: cell, canvas: canvas, fontSize: figure.fontSize, vector: format != .png)
      }
    }
    let status = cairo_status(cr)
    guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.cairo(statusText(status)) }
  }

  /// Where each panel's plot area and axes end up (device points), as `draw` lays them out;
  /// for tests and for callers that want to place things on a rendered image.
  static func panelLayouts(_ figure: Figure) -> [FrameLayout] {
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1) else { return [] }
    defer { cairo_surface_destroy(surface) }
    guard let cr = cairo_create(surface) else { return [] }
    defer { cairo_destroy(cr) }
    let canvas = CairoCanvas(cr)
    let fonts = PlotFonts(base: figure.fontSize)
    return zip(figure.panels, panelCells(figure, canvas: canvas)).map { panel, cell in
      switch panel {
      case .axes(let axes): return layoutAxes(axes, in: cell, fonts: fonts, canvas: canvas)
      case .heatMap(let map): return layoutHeatMap(map, in: cell, fonts: fonts, canvas: canvas)
      }
    }
  }

  /// Height of the overall title block, points (0 without a title).
  static func titleHeight(_ figure: Figure, canvas: CairoCanvas) -> Double {
    guard let title = figure.title, !title.isEmpty else { return 0 }
    let lines = title.split(separator: "\n", omittingEmptySubsequences: false)
    canvas.setFont(size: figure.fontSize * 1.35, bold: true)
    var height = canvas.lineHeight + 8
    canvas.setFont(size: figure.fontSize)
    height += Double(lines.count - 1) * (canvas.lineHeight + 2)
    return height + 4
  }

  static func drawTitle(_ figure: Figure, canvas: CairoCanvas) {
    guard let title = figure.title, !title.isEmpty else { return }
    let lines = title.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var y = 8.0
    for (i, line) in lines.enumerated() {
      canvas.setFont(size: i == 0 ? figure.fontSize * 1.35 : figure.fontSize, bold: i == 0)
      canvas.setColor(i == 0 ? .black : PlotColor(red: 0.3, green: 0.3, blue: 0.3))
      canvas.text(line, x: figure.width / 2, y: y, align: .center, baseline: .top)
      y += canvas.lineHeight + (i == 0 ? 4 : 2)
    }
  }

  /// The rectangle of each panel: the area below the title split into a grid of `columns`
  /// columns, rows as tall as `rowWeights` say.
  static func panelCells(_ figure: Figure, canvas: CairoCanvas) -> [PlotRect] {
    let count = figure.panels.count
    guard count > 0 else { return [] }
    let columns = min(max(figure.columns, 1), count)
    let rows = (count + columns - 1) / columns
    let top = titleHeight(figure, canvas: canvas)
    let area = PlotRect(x: 0, y: top, width: figure.width, height: figure.height - top).inset(
      left: 6, top: 2, right: 6, bottom: 4)
    var weights = [Double](repeating: 1, count: rows)
    if let given = figure.rowWeights, given.count == rows, given.allSatisfy({ $0.isFinite && $0 > 0 }) {
      weights = given
    }
    let total = weights.reduce(0, +)
    var rowTops = [area.y]
    for w in weights { rowTops.append((rowTops.last ?? area.y) + area.height * w / total) }
    let cellWidth = area.width / Double(columns)
    return (0..<count).map { i in
      let (row, col) = (i / columns, i % columns)
      return PlotRect(
        x: area.x + Double(col) * cellWidth, y: rowTops[row], width: cellWidth,
        height: rowTops[row + 1] - rowTops[row])
    }
  }
}

extension Figure {
  /// The figure encoded as `format`; see `PlotRenderer.render(_:format:)`.
  public func render(format: PlotFormat) throws -> Data {
    try PlotRenderer.render(self, format: format)
  }

  /// Writes the figure to `path` atomically; see `PlotRenderer.write(_:to:format:)`.
  public func write(to path: String, format: PlotFormat? = nil) throws {
    try PlotRenderer.write(self, to: path, format: format)
  }
}

/// Collects the bytes cairo's stream writers hand over.
final class ByteSink {
  var data = Data()
}

/// cairo write callback: appends to the `ByteSink` passed as the closure pointer.
let cairoWriteToSink: cairo_write_func_t = { closure, bytes, length in
  guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
  let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
  if let bytes, length > 0 { sink.data.append(bytes, count: Int(length)) }
  return CAIRO_STATUS_SUCCESS
}
