// Tests of rendering through cairo: PNG/SVG/PDF headers and sizes, heat-map pixels, determinism, atomic writes.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct PlotRenderTests {
  /// Width and height from a PNG's IHDR chunk (bytes 16...23, big-endian).
  func pngSize(_ data: Data) -> (Int, Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
    func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (be32(16), be32(20))
  }

  static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  func simpleFigure(width: Double = 640, height: Double = 400, scale: Double = 1) -> Figure {
    let x = stride(from: 0.0, through: 10, by: 0.1).map { $0 }
    let axes = Axes(
      title: "sine", x: Axis("k (Å⁻¹)", range: .data), y: Axis("χ(k)"),
      series: [LineSeries(x: x, y: x.map(sin), label: "sin k")], markers: [MarkerLine(3, label: "E0")],
      regions: [RegionMark(xmin: 2, xmax: 8, label: "window", fill: PlotColor.cycle[1].withAlpha(0.2))])
    return Figure(width: width, height: height, title: "test", panels: [.axes(axes)], pixelScale: scale)
  }

  @Test func pngHasMagicAndRequestedSize() throws {
    let data = try PlotRenderer.render(simpleFigure(width: 640, height: 400, scale: 1.5), format: .png)
    #expect(Array(data.prefix(8)) == Self.pngMagic)
    let size = try #require(pngSize(data))
    #expect(size == (960, 600))
    let defaultSize = try #require(pngSize(PlotRenderer.render(PlotExamples.muFigure(), format: .png)))
    #expect(defaultSize == (1300, 820))  // 2 x 2 panels: mu(E), XANES, normalized, derivative
  }

  @Test func svgAndPdfHaveTheirHeaders() throws {
    let svg = try PlotRenderer.render(PlotExamples.chirFigure(), format: .svg)
    let text = try #require(String(data: svg, encoding: .utf8))
    #expect(text.contains("<svg"))
    #expect(text.contains("width=\"900pt\""))
    let pdf = try PlotRenderer.render(PlotExamples.waveletFigure(), format: .pdf)
    #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
    #expect(String(decoding: pdf.suffix(7), as: UTF8.self).contains("%%EOF"))
  }

  @Test func pngRenderingIsDeterministic() throws {
    let figure = PlotExamples.comparisonFigure()
    let first = try PlotRenderer.render(figure, format: .png)
    let second = try PlotRenderer.render(figure, format: .png)
    #expect(first == second)
  }

  @Test func heatMapIsDarkerAtLowValues() throws {
    // z grows with column (x); viridis is dark at low z, so the left of the image is darker.
    let x = (0..<50).map { Double($0) * 0.2 }
    let y = (0..<30).map { Double($0) * 0.1 }
    let z = y.map { _ in x.map { $0 } }
    let map = HeatMap(x: x, y: y, z: z, xAxis: Axis("k (Å⁻¹)"), yAxis: Axis("R (Å)"), colorbarLabel: "z", smooth: false)
    let figure = Figure(width: 500, height: 400, panels: [.heatMap(map)])
    let raster = try PlotRenderer.rasterize(figure)
    let layout = try #require(PlotRenderer.panelLayouts(figure).first)
    let plot = layout.plot
    func luma(atFraction f: Double) -> Double {
      let (r, g, b) = raster.rgb(Int(plot.x + f * plot.width), Int(plot.y + plot.height / 2))
      return 0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)
    }
    let samples = [0.05, 0.3, 0.6, 0.95].map(luma(atFraction:))
    #expect(zip(samples, samples.dropFirst()).allSatisfy { $0 < $1 })
    // The lowest value is viridis' first colour (68, 1, 84) within rounding.
    let (r, g, b) = raster.rgb(Int(plot.x + 2), Int(plot.y + plot.height / 2))
    #expect(abs(r - 68) <= 1 && abs(g - 1) <= 1 && abs(b - 84) <= 1, "\((r, g, b)) at \(plot)")
    // The PNG written from the same surface has the same size.
    #expect(pngSize(raster.png)! == (500, 400))
  }

  @Test func linesAreDrawnInsideThePlotArea() throws {
    let figure = simpleFigure()
    let raster = try PlotRenderer.rasterize(figure)
    let layout = try #require(PlotRenderer.panelLayouts(figure).first)
    // The sine's colour appears where sin(1.57) = 1 puts it; white (paper) outside the figure's content.
    let px = Int(layout.xMap(Double.pi / 2))
    let py = Int(layout.yMap(1))
    let hits = (-3...3).contains { dy in
      let (r, g, b) = raster.rgb(px, py + dy)
      return b > r + 60 && b > g  // tab10 blue, 0x1F77B4
    }
    #expect(hits)
    #expect(raster.rgb(1, 1) == (255, 255, 255))
  }

  @Test func concurrentRendersAgree() async throws {
    // Batch processing renders many figures at once; each render owns its cairo objects.
    let figure = PlotExamples.chirFigure()
    let reference = try PlotRenderer.render(figure, format: .png)
    let results = try await withThrowingTaskGroup(of: Data.self) { group in
      for i in 0..<8 {
        group.addTask { try PlotRenderer.render(figure, format: i % 2 == 0 ? .png : .svg) }
      }
      return try await group.reduce(into: [Data]()) { $0.append($1) }
    }
    #expect(results.count == 8)
    #expect(results.filter { $0 == reference }.count == 4)
  }

  @Test func hostileDataStillRenders() throws {
    // Empty series, NaN and infinite values, ragged heat-map rows, an empty map.
    let axes = Axes(
      x: Axis("x"), y: Axis("y"),
      series: [LineSeries(x: [], y: []), LineSeries(x: [1, 2, .nan, 4], y: [1, .infinity, 3, 4, 5])],
      markers: [MarkerLine(.nan)], regions: [RegionMark(xmin: .nan, xmax: 3)])
    let ragged = HeatMap(
      x: [0, 1, 2], y: [0, 1], z: [[1, 2, 3], [4]], xAxis: Axis("k"), yAxis: Axis("R"), colorbarLabel: "")
    let empty = HeatMap(x: [], y: [], z: [], xAxis: Axis("k"), yAxis: Axis("R"), colorbarLabel: "")
    let nan = HeatMap(
      x: [0, 1], y: [0, 1], z: [[.nan, .nan], [.nan, .nan]], xAxis: Axis("k"), yAxis: Axis("R"), colorbarLabel: "")
    let figure = Figure(panels: [.axes(axes), .heatMap(ragged), .heatMap(empty), .heatMap(nan)], columns: 2)
    for format in PlotFormat.allCases {
      #expect(try !PlotRenderer.render(figure, format: format).isEmpty)
    }
    #expect(try !PlotRenderer.render(Figure(panels: []), format: .png).isEmpty)
  }

  @Test func impossibleSizesAreRejected() {
    #expect(throws: PlotError.self) { try PlotRenderer.render(Figure(width: 0, height: 600, panels: []), format: .png) }
    #expect(throws: PlotError.self) { try PlotRenderer.render(Figure(width: .nan, panels: []), format: .svg) }
    #expect(throws: PlotError.self) { try PlotRenderer.render(Figure(panels: [], pixelScale: 100), format: .png) }
  }

  @Test func writeIsAtomicAndFollowsTheExtension() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let figure = simpleFigure()
    try PlotRenderer.write(figure, to: directory.appendingPathComponent("a.svg").path)
    try PlotRenderer.write(figure, to: directory.appendingPathComponent("a.PDF").path)
    try PlotRenderer.write(figure, to: directory.appendingPathComponent("a.png").path)
    try PlotRenderer.write(figure, to: directory.appendingPathComponent("b.dat").path, format: .svg)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["a.PDF", "a.png", "a.svg", "b.dat"])  // no temporary files left behind
    let svg = try String(contentsOf: directory.appendingPathComponent("b.dat"), encoding: .utf8)
    #expect(svg.contains("<svg"))
    #expect(throws: EXAFSError.self) { try PlotRenderer.write(figure, to: directory.path + "/missing/x.png") }
  }

  /// Writes the example figures (PNG and SVG) to the folder named by `EXAFSKIT_PLOT_EXAMPLES`,
  /// for looking at them; does nothing when the variable is not set.
  /// Every example figure renders in all three formats (into EXAFSKIT_PLOT_EXAMPLES when set, to
  /// look at them; else into a temporary folder), and each file is a real image of its format.
  @Test func everyExampleFigureRendersInEveryFormat() throws {
    let given = ProcessInfo.processInfo.environment["EXAFSKIT_PLOT_EXAMPLES"] ?? ""
    let folder = given.isEmpty ? FileManager.default.temporaryDirectory.appendingPathComponent("plots-\(UUID().uuidString)").path : given
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { if given.isEmpty { try? FileManager.default.removeItem(atPath: folder) } }
    for (name, figure) in PlotExamples.all() {
      try PlotRenderer.write(figure, to: "\(folder)/\(name).png")
      try PlotRenderer.write(figure, to: "\(folder)/\(name).svg")
      try PlotRenderer.write(figure, to: "\(folder)/\(name).pdf")
    }
    var sharp = PlotExamples.waveletFigure()
    sharp.pixelScale = 2
    try sharp.write(to: "\(folder)/wavelet@2x.png")
    let names = PlotExamples.all().map(\.0)
    #expect(names.count >= 4)
    for name in names {
      let png = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name).png"))
      #expect(Array(png.prefix(8)) == Self.pngMagic, "\(name).png")
      let svg = try String(contentsOfFile: "\(folder)/\(name).svg", encoding: .utf8)
      #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(name).svg")
      let pdf = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name).pdf"))
      #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-", "\(name).pdf")
    }
    let sharpSize = try #require(pngSize(Data(contentsOf: URL(fileURLWithPath: "\(folder)/wavelet@2x.png"))))
    let plainSize = try #require(pngSize(Data(contentsOf: URL(fileURLWithPath: "\(folder)/wavelet.png"))))
    #expect(sharpSize.0 == 2 * plainSize.0 && sharpSize.1 == 2 * plainSize.1)
  }
}
