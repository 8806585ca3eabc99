// Tests of the plot model's arithmetic: nice ticks, tick labels, axis ranges, colour scales, heat-map grids.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct PlotModelTests {
  @Test func niceTicksUseOneTwoFiveSteps() {
    #expect(NiceTicks.ticks(lower: 0, upper: 10.3) == [0, 2, 4, 6, 8, 10])
    #expect(NiceTicks.ticks(lower: 0, upper: 1, target: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(NiceTicks.ticks(lower: 8900, upper: 9400, target: 5) == [8900, 9000, 9100, 9200, 9300, 9400])
    #expect(NiceTicks.ticks(lower: -1.3, upper: 1.3, target: 5) == [-1, -0.5, 0, 0.5, 1])
    #expect(abs(NiceTicks.step(span: 0.003, target: 6) - 0.0005) < 1e-15)
  }

  @Test func niceTicksAreExactDecimals() {
    // 0.1 steps must not give 0.30000000000000004 (it would print as such in SVG and in labels).
    let ticks = NiceTicks.ticks(lower: 0, upper: 0.7, target: 7)
    #expect(ticks.contains(0.3))
    #expect(ticks.contains(0.7))
  }

  @Test func niceTicksSurviveDegenerateRanges() {
    #expect(NiceTicks.ticks(lower: 1, upper: 1) == [1])
    #expect(NiceTicks.ticks(lower: .nan, upper: 1).isEmpty)
    #expect(NiceTicks.ticks(lower: 0, upper: .infinity).isEmpty)
  }

  @Test func tickLabelsShowJustEnoughDecimals() {
    #expect(NiceTicks.label(0.5, step: 0.5) == "0.5")
    #expect(NiceTicks.label(10, step: 2) == "10")
    #expect(NiceTicks.label(6, step: 1) == "6")
    #expect(NiceTicks.label(0.3, step: 0.1) == "0.3")
    #expect(NiceTicks.label(0.0015, step: 0.0005) == "0.0015")
    #expect(NiceTicks.label(8950, step: 50) == "8950")
    #expect(NiceTicks.label(-0.25, step: 0.05) == "\u{2212}0.25")
    #expect(NiceTicks.label(0, step: 0.1) == "0")
  }

  @Test func automaticRangeAddsMarginAndFixedEndsStay() {
    let auto = PlotRenderer.resolveRange(.auto, extent: (0, 10))
    #expect(abs(auto.0 + 0.5) < 1e-12 && abs(auto.1 - 10.5) < 1e-12)
    #expect(PlotRenderer.resolveRange(.data, extent: (2, 12)) == (2, 12))
    #expect(PlotRenderer.resolveRange(AxisRange(min: 0), extent: (1, 11)) == (0, 11.5))
    #expect(PlotRenderer.resolveRange(.fixed(3, 1), extent: nil) == (1, 3))
    let flat = PlotRenderer.resolveRange(.auto, extent: (5, 5))
    #expect(flat.0 < 5 && flat.1 > 5)
    let empty = PlotRenderer.resolveRange(.auto, extent: nil)
    #expect(abs(empty.0 + 0.05) < 1e-12 && abs(empty.1 - 1.05) < 1e-12)
  }

  @Test func viridisEndpointsMatchThePublishedTable() {
    let low = Colormap.viridis.color(at: 0)
    let high = Colormap.viridis.color(at: 1)
    let mid = Colormap.viridis.color(at: 128.0 / 255)  // table entry 128, one of the control points
    #expect(abs(low.red - 0.267004) < 1e-9 && abs(low.green - 0.004874) < 1e-9 && abs(low.blue - 0.329415) < 1e-9)
    #expect(abs(high.red - 0.993248) < 1e-9 && abs(high.green - 0.906157) < 1e-9 && abs(high.blue - 0.143936) < 1e-9)
    #expect(abs(mid.red - 0.127568) < 1e-9 && abs(mid.green - 0.566949) < 1e-9 && abs(mid.blue - 0.550556) < 1e-9)
    // Values outside 0...1 clamp to the ends.
    #expect(Colormap.viridis.color(at: -3) == low)
    #expect(Colormap.viridis.color(at: 7) == high)
  }

  @Test func viridisLightnessIncreasesMonotonically() {
    func luma(_ c: PlotColor) -> Double { 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue }
    let values = (0...100).map { luma(Colormap.viridis.color(at: Double($0) / 100)) }
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test func divergingMapIsBlueWhiteRed() {
    let low = Colormap.diverging.color(at: 0)
    let middle = Colormap.diverging.color(at: 0.5)
    let high = Colormap.diverging.color(at: 1)
    #expect(low.blue > low.red)
    #expect(high.red > high.blue)
    #expect(middle.red > 0.95 && middle.green > 0.95 && middle.blue > 0.95)
  }

  @Test func heatMapColorRangeIsDataOrSymmetricOrFixed() {
    let z: [[Double]] = [[1, 2], [3, .nan]]
    var map = HeatMap(x: [0, 1], y: [0, 1], z: z, xAxis: Axis("k"), yAxis: Axis("R"), colorbarLabel: "")
    #expect(map.resolvedColorRange == 1...3)
    map.colorRange = 0...10
    #expect(map.resolvedColorRange == 0...10)
    let diff = HeatMap(
      x: [0, 1], y: [0], z: [[-1, 4]], xAxis: Axis("k"), yAxis: Axis("R"), colorbarLabel: "", colormap: .diverging)
    #expect(diff.resolvedColorRange == -4...4)
  }

  @Test func heatMapCellsAreCentredOnGridPoints() {
    let (lo, hi) = HeatMap.cellExtent([1, 2, 3])
    #expect(lo == 0.5 && hi == 3.5)
    #expect(HeatMap.nearestIndices([1, 2, 3], extent: (0.5, 3.5), count: 3) == [0, 1, 2])
    // A non-uniform grid: pixels show their nearest grid point.
    #expect(HeatMap.nearestIndices([0, 1, 4], extent: (-0.5, 5.5), count: 6) == [0, 1, 1, 2, 2, 2])
  }

  @Test func superscriptUnitsForKWeights() {
    #expect(PlotFactory.chiKLabel(kweight: 2) == "k² χ(k) (Å⁻²)")
    #expect(PlotFactory.chiKLabel(kweight: 1) == "k χ(k) (Å⁻¹)")
    #expect(PlotFactory.chiKLabel(kweight: 0) == "χ(k)")
    #expect(PlotFactory.superscript(-3) == "⁻³")
    #expect(PlotFactory.superscript(1.5) == "^1.5")
  }
}
