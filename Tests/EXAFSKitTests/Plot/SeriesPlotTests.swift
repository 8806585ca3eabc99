// Pixel tests of the series trend figure (issue 16): one panel per quantity present, dots where the
// values are, uncertainty bars exactly as long as the uncertainty, failed spectra marked, time axis.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot

/// Pixels within `tolerance` of `color` in a device rectangle.
private func count(
  _ color: PlotColor, in raster: PlotRenderer.Raster, x: ClosedRange<Double>, y: ClosedRange<Double>, tolerance: Int = 40
) -> Int {
  let target = (Int((color.red * 255).rounded()), Int((color.green * 255).rounded()), Int((color.blue * 255).rounded()))
  let x0 = max(Int(x.lowerBound.rounded()), 0), x1 = min(Int(x.upperBound.rounded()), raster.width - 1)
  let y0 = max(Int(y.lowerBound.rounded()), 0), y1 = min(Int(y.upperBound.rounded()), raster.height - 1)
  guard x0 <= x1, y0 <= y1 else { return 0 }
  var n = 0
  for py in y0...y1 {
    for px in x0...x1 {
      let (r, g, b) = raster.rgb(px, py)
      if abs(r - target.0) <= tolerance && abs(g - target.1) <= tolerance && abs(b - target.2) <= tolerance { n += 1 }
    }
  }
  return n
}

/// Pixels in a device rectangle for which `test(r, g, b)` holds (antialiased thin lines are
/// lighter than their colour, so tests look for "dark" or "reddish" rather than one colour).
private func count(
  in raster: PlotRenderer.Raster, x: ClosedRange<Double>, y: ClosedRange<Double>, where test: (Int, Int, Int) -> Bool
) -> Int {
  let x0 = max(Int(x.lowerBound.rounded()), 0), x1 = min(Int(x.upperBound.rounded()), raster.width - 1)
  let y0 = max(Int(y.lowerBound.rounded()), 0), y1 = min(Int(y.upperBound.rounded()), raster.height - 1)
  guard x0 <= x1, y0 <= y1 else { return 0 }
  var n = 0
  for py in y0...y1 { for px in x0...x1 { let (r, g, b) = raster.rgb(px, py); if test(r, g, b) { n += 1 } } }
  return n
}

private func dark(_ r: Int, _ g: Int, _ b: Int) -> Bool { r < 130 && g < 130 && b < 130 && abs(r - b) < 40 }
private func reddish(_ r: Int, _ g: Int, _ b: Int) -> Bool { r > g + 50 && r > b + 50 }

struct SeriesPlotTests {
  static let dot = PlotColor(hex: 0x1F4E9A)

  /// Six rows, row 4 failed; hinge ratios 0.40 ... 0.15 with uncertainty 0.02 on all but row 6
  /// (not estimable); times every 60 s when `timed`.
  func table(timed: Bool) -> SeriesTable {
    let ratios = [0.40, 0.35, 0.30, 0, 0.20, 0.15]
    return SeriesTable(rows: (1...6).map { i in
      guard i != 4 else { return SeriesRow(index: i, failed: "s\(i)", source: "s\(i).xdi", message: "bad") }
      var row = SeriesRow(index: i, failed: "s\(i)", source: "s\(i).xdi", message: "")
      row.status = .ok
      row.e0 = 9881 + Double(i) * 0.5
      row.edgeStep = 0.76
      row.hingeRatio = ratios[i - 1]
      row.hingeUncertainty = i == 6 ? nil : 0.02
      if timed { row.time = ScanTime(year: 2026, month: 3, day: 1, hour: 10, minute: i, second: 0) }
      row.timeField = timed ? "Scan.start_time" : nil
      return row
    })
  }

  @Test func onePanelPerQuantityPresentAndTheIndexAxis() throws {
    let t = table(timed: false)
    #expect(t.axis == .index)
    let figure = try #require(t.figure())
    // e0, edge step, hinge ratio: no first-shell or trans-angle panels (no values).
    #expect(figure.panels.count == 3)
    let layouts = PlotRenderer.panelLayouts(figure)
    try #require(layouts.count == 3)
    // x from index 1 to 6 with a margin of 0.6 (at least) at both ends.
    #expect(layouts[0].x.lower == 0.4 && layouts[0].x.upper == 6.6)
    let raster = try PlotRenderer.rasterize(figure)
    let e0 = layouts[0]
    // A dot at every processed index at its e0; none at index 4 (failed), where a red line runs.
    for i in [1, 2, 3, 5, 6] {
      let (px, py) = (e0.xMap(Double(i)), e0.yMap(9881 + Double(i) * 0.5))
      #expect(count(Self.dot, in: raster, x: px - 3...px + 3, y: py - 3...py + 3, tolerance: 30) >= 12, "dot \(i)")
    }
    let fx = e0.xMap(4)
    #expect(count(in: raster, x: fx - 1...fx + 1, y: e0.plot.y + 4...e0.plot.maxY - 4, where: reddish) > 20)
    #expect(count(Self.dot, in: raster, x: fx - 2...fx + 2, y: e0.yMap(9883) - 3...e0.yMap(9883) + 3, tolerance: 30) == 0)
  }

  @Test func uncertaintyBarsSpanExactlyPlusMinusOneSigma() throws {
    let figure = try #require(table(timed: false).figure())
    let layouts = PlotRenderer.panelLayouts(figure)
    let raster = try PlotRenderer.rasterize(figure)
    let hinge = layouts[2]
    for (i, ratio) in [(1, 0.40), (2, 0.35), (5, 0.20)] {
      let px = hinge.xMap(Double(i))
      let top = hinge.yMap(ratio + 0.02), bottom = hinge.yMap(ratio - 0.02)
      // Black bar pixels from the cap at ratio + 0.02 down to ratio - 0.02 (outside the 6 pt dot) ...
      #expect(count(in: raster, x: px - 1...px + 1, y: top - 1...top + 1, where: dark) >= 3, "cap \(i)")
      #expect(count(in: raster, x: px - 1...px + 1, y: bottom - 1...bottom + 1, where: dark) >= 3, "lower cap \(i)")
      // ... and none beyond them.
      let above = max(top - 8, hinge.plot.y + 2)
      if above < top - 3 { #expect(count(in: raster, x: px - 4...px + 4, y: above...top - 3, where: dark) == 0, "above \(i)") }
      #expect(count(in: raster, x: px - 4...px + 4, y: bottom + 3...bottom + 8, where: dark) == 0, "below \(i)")
    }
    // Row 6 (uncertainty not estimable): a dot, no bar.
    let px = hinge.xMap(6), py = hinge.yMap(0.15)
    #expect(count(Self.dot, in: raster, x: px - 3...px + 3, y: py - 3...py + 3, tolerance: 30) >= 12)
    #expect(count(in: raster, x: px - 1...px + 1, y: py - 12...py - 5, where: dark) == 0)
    // The e0 panel has no bars at all (no estimate): no black inside its plot area off the frame.
    let e0 = layouts[0].plot
    #expect(count(in: raster, x: e0.x + 7...e0.maxX - 7, y: e0.y + 7...e0.maxY - 7, where: dark) == 0)
  }

  @Test func timedSeriesIsPlottedAgainstElapsedTime() throws {
    let t = table(timed: true)
    #expect(t.axis == .elapsed)
    #expect(t.rows.map(\.elapsed) == [0, 60, 120, nil, 240, 300])
    let figure = try #require(t.figure())
    let layouts = PlotRenderer.panelLayouts(figure)
    // 300 s span: seconds; 4 % margin.
    #expect(abs(layouts[0].x.lower - -12) < 1e-9 && abs(layouts[0].x.upper - 312) < 1e-9)
    #expect(layouts.last?.x.label == "time since the first scan (s)")
    #expect(layouts[0].x.label.isEmpty)  // only the bottom panel names the shared axis
    // The failed row has no time: no red marker on the time axis.
    let raster = try PlotRenderer.rasterize(figure)
    let p = layouts[0].plot
    #expect(count(in: raster, x: p.x...p.maxX, y: p.y...p.maxY, where: reddish) == 0)
    #expect(figure.title?.contains("x axis: time since the earliest time stamp (Scan.start_time)") == true)
  }

  @Test func nothingProcessedNoFigure() {
    let t = SeriesTable(rows: [SeriesRow(index: 1, failed: "a", source: "a", message: "bad")])
    #expect(t.figure() == nil)
    #expect(t.axis == .index)
  }

  @Test func figureIsWrittenAtomicallyAsSeriesPNG() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-series-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let name = try table(timed: true).writeFigure(toFolder: dir, format: .svg)
    #expect(name == "series.svg")
    let text = try String(contentsOfFile: dir + "/series.svg", encoding: .utf8)
    #expect(text.contains("<svg"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["series.svg"])
  }
}
