// Pixel tests of the issue 17 plot options: E0 in titles, stacked and offset overlays, the XANES and
// derivative panels, the k-weight panels, one axis notation, the wavelet map over the FT window.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot

/// Pixels of a raster whose colour is within `tolerance` (per channel) of `color`, in a device rectangle.
private func pixels(
  of color: PlotColor, in raster: PlotRenderer.Raster, x: ClosedRange<Double>, y: ClosedRange<Double>,
  tolerance: Int = 40
) -> [(x: Int, y: Int)] {
  let target = (Int((color.red * 255).rounded()), Int((color.green * 255).rounded()), Int((color.blue * 255).rounded()))
  var out: [(Int, Int)] = []
  let x0 = max(Int(x.lowerBound), 0), x1 = min(Int(x.upperBound), raster.width - 1)
  let y0 = max(Int(y.lowerBound), 0), y1 = min(Int(y.upperBound), raster.height - 1)
  guard x0 <= x1, y0 <= y1 else { return [] }
  for py in y0...y1 {
    for px in x0...x1 {
      let (r, g, b) = raster.rgb(px, py)
      if abs(r - target.0) <= tolerance && abs(g - target.1) <= tolerance && abs(b - target.2) <= tolerance {
        out.append((px, py))
      }
    }
  }
  return out
}

struct WorkbenchPlotTests {
  static let blue = PlotColor(hex: 0x1F4E9A)  // PlotFactory.Palette.data

  @Test func e0IsWrittenToTheTenthOfAnEV() throws {
    #expect(PlotFactory.e0Text(10205.04) == "10205.0 eV")
    #expect(PlotFactory.e0Text(9880.5) == "9880.5 eV")
    #expect(PlotFactory.e0Text(.nan) == "not found")
    // The W L3 foil: the mu(E) title says 10205.0 eV, never "1.02e+04".
    let input = try SpectrumReader.read(path: repositoryRoot().appendingPathComponent("SampleSpectra/W_metal_rt_01.xdi").path)[0]
    let result = try process(input, settings: ProcessingSettings.resolve())
    let mu = try #require(result.figures(PlotOptions(lineplots: true)).first { $0.name.hasSuffix(".mu.png") })
    let title = try #require(mu.figure.title)
    #expect(title.contains("E0 = 10205.0 eV"), "\(title)")
    #expect(!title.contains("e+"))
  }

  @Test func muFigureHasXanesAndDerivativePanels() throws {
    let figure = PlotExamples.muFigure()
    #expect(figure.panels.count == 4)
    let layouts = PlotRenderer.panelLayouts(figure)
    try #require(layouts.count == 4)
    let raster = try PlotRenderer.rasterize(figure)
    // XANES panel (top right): E0 - 30 ... E0 + 70 eV, and the blue normalized curve is in it.
    let xanes = layouts[1]
    #expect(abs(xanes.x.lower - (PlotExamples.e0 - 30)) < 1e-9 && abs(xanes.x.upper - (PlotExamples.e0 + 70)) < 1e-9)
    let inXanes = pixels(
      of: Self.blue, in: raster, x: xanes.plot.x...xanes.plot.maxX, y: xanes.plot.y...xanes.plot.maxY)
    #expect(inXanes.count > 300, "\(inXanes.count) blue pixels in the XANES panel")
    // The normalized curve reaches 1 there: blue pixels near y = 1 right of E0 + 20 eV.
    let high = inXanes.filter { Double($0.x) > xanes.xMap(PlotExamples.e0 + 20) && abs(Double($0.y) - xanes.yMap(1)) < 25 }
    #expect(high.count > 20)
    // Derivative panel (bottom right): the blue curve peaks at E0 (the arctan step's steepest point).
    let d = layouts[3]
    #expect(abs(d.x.lower - (PlotExamples.e0 - 30)) < 1e-9)
    let inD = pixels(of: Self.blue, in: raster, x: d.plot.x + 2...d.plot.maxX - 2, y: d.plot.y + 2...d.plot.maxY - 2)
      .filter { Double($0.x) < d.plot.x + 0.75 * d.plot.width }  // leave out the legend (upper right)
    let top = try #require(inD.min { $0.y < $1.y })
    #expect(abs(Double(top.x) - d.xMap(PlotExamples.e0)) < 8, "peak at x = \(top.x), E0 at \(d.xMap(PlotExamples.e0))")
  }

  /// Two identical sine curves: on one line without spacing, apart when stacked or offset.
  func twoCurves(_ spacing: OverlaySpacing) -> Figure {
    let x = stride(from: 0.0, through: 10, by: 0.02).map { $0 }
    return PlotFactory.overlay(
      series: [("A", x, x.map(sin)), ("B", x, x.map(sin))], xLabel: "k (Å⁻¹)",
      yLabel: PlotFactory.chiKLabel(kweight: 2), spacing: spacing, title: "overlay")
  }

  /// Mean device y of the pixels of `color` in the left 60 % of the plot (the legend is at the right).
  func meanY(_ figure: Figure, _ color: PlotColor) throws -> (mean: Double, count: Int, layout: FrameLayout) {
    let raster = try PlotRenderer.rasterize(figure)
    let layout = try #require(PlotRenderer.panelLayouts(figure).first)
    let p = layout.plot
    let hits = pixels(of: color, in: raster, x: p.x + 2...p.x + 0.6 * p.width, y: p.y + 2...p.maxY - 2, tolerance: 30)
    let mean = hits.isEmpty ? .nan : Double(hits.map(\.y).reduce(0, +)) / Double(hits.count)
    return (mean, hits.count, layout)
  }

  @Test func stackSeparatesTheCurves() throws {
    let (a, b) = (PlotColor.cycle[0], PlotColor.cycle[1])
    // Without spacing the second curve (orange) hides the first (blue): few blue pixels.
    let plain = try meanY(twoCurves(.none), a)
    let plainB = try meanY(twoCurves(.none), b)
    #expect(plain.count < plainB.count / 4, "blue \(plain.count), orange \(plainB.count)")
    // Stacked: the step is the span 2 x 1.05; blue around y = 0, orange around y = 2.1.
    let figure = twoCurves(.stack)
    let first = try meanY(figure, a)
    let second = try meanY(figure, b)
    #expect(first.count > 300 && second.count > 300)
    #expect(abs(first.mean - first.layout.yMap(0)) < 6, "blue at \(first.mean), y = 0 at \(first.layout.yMap(0))")
    #expect(abs(second.mean - second.layout.yMap(2.1)) < 6, "orange at \(second.mean), y = 2.1 at \(second.layout.yMap(2.1))")
    // Every orange pixel lies above every blue one except where the sines touch (y = 1 vs 1.1).
    #expect(second.mean < first.mean - 0.2 * first.layout.plot.height)
  }

  @Test func offsetShiftsByTheGivenStep() throws {
    let figure = twoCurves(.offset(3))
    let first = try meanY(figure, PlotColor.cycle[0])
    let second = try meanY(figure, PlotColor.cycle[1])
    #expect(abs(first.mean - first.layout.yMap(0)) < 6)
    #expect(abs(second.mean - second.layout.yMap(3)) < 6, "orange at \(second.mean), y = 3 at \(second.layout.yMap(3))")
    // The legend says by how much.
    guard case .axes(let axes) = figure.panels[0] else { Issue.record("not a line plot"); return }
    #expect(axes.series.map(\.label) == ["A", "B (+3)"])
  }

  @Test func mergeFigureStacksTheScansBelowTheMerge() throws {
    let root = repositoryRoot().appendingPathComponent("SampleSpectra")
    let scans = try (1...3).map { try SpectrumReader.read(path: root.appendingPathComponent("W_metal_rt_0\($0).xdi").path)[0] }
    let spectra = try scans.map { input -> XASSpectrum in
      guard case .mu(let s) = input else { throw EXAFSError.invalidParameter("scan", "not mu(E)") }
      return s
    }
    let merge = try mergeScans(spectra, quantity: .norm, weighting: .equal)
    #expect(merge.curves.count == 3 && merge.curves.allSatisfy { $0.count == merge.merged.x.count })
    // Stacked: the merge (black, last) sits three steps above the first scan (blue).
    let stacked = try meanY(merge.figure(spacing: .stack), PlotColor.cycle[0])
    let black = try meanY(merge.figure(spacing: .stack), .black)
    #expect(black.count > 300 && stacked.count > 300)
    #expect(black.mean < stacked.mean - 0.6 * stacked.layout.plot.height, "merge at \(black.mean), scan 1 at \(stacked.mean)")
    // On one line the merge (drawn last) hides the scans: hardly any blue pixel is left.
    let plain = try meanY(merge.figure(), .black)
    let plainBlue = try meanY(merge.figure(), PlotColor.cycle[0])
    #expect(plain.count > 300 && plainBlue.count < stacked.count / 4, "blue \(plainBlue.count) vs \(stacked.count) stacked")
  }

  @Test func kweightPanelsWeightHighK() throws {
    let k = PlotExamples.k
    let chi = k.map { $0 > 0.5 ? PlotExamples.kwchi($0) / ($0 * $0) : 0 }
    let window = ftWindow(k, xmin: 3, xmax: 13, dx: 1, kind: .hanning)
    let figure = PlotFactory.kweightPlot(k: k, chi: chi, window: window, title: "k-weights")
    #expect(figure.panels.count == 3)
    let labels = figure.panels.compactMap { p -> String? in if case .axes(let a) = p { return a.yAxis.label } else { return nil } }
    #expect(labels == ["k χ(k) (Å⁻¹)", "k² χ(k) (Å⁻²)", "k³ χ(k) (Å⁻³)"])
    let raster = try PlotRenderer.rasterize(figure)
    // Blue pixels' vertical spread at low k (3...6) relative to high k (9...12): falls with the weight.
    var ratios: [Double] = []
    for layout in PlotRenderer.panelLayouts(figure) {
      func spread(_ k0: Double, _ k1: Double) -> Double {
        let hits = pixels(of: Self.blue, in: raster, x: layout.xMap(k0)...layout.xMap(k1), y: layout.plot.y...layout.plot.maxY)
        guard let lo = hits.map(\.y).min(), let hi = hits.map(\.y).max() else { return 0 }
        return Double(hi - lo)
      }
      ratios.append(spread(3, 6) / max(spread(9, 12), 1))
    }
    #expect(ratios.count == 3 && ratios[0] > ratios[1] && ratios[1] > ratios[2], "\(ratios)")
  }

  @Test func overlaysUseTheSingleFigureNotation() throws {
    let root = repositoryRoot().appendingPathComponent("SampleSpectra")
    let a = try process(SpectrumReader.read(path: root.appendingPathComponent("W_metal_rt_01.xdi").path)[0], settings: .resolve())
    let b = try process(SpectrumReader.read(path: root.appendingPathComponent("W_metal_rt_02.xdi").path)[0], settings: .resolve())
    let figures = Comparison.figures(reference: a, others: [b])
    func yLabel(_ name: String) -> String? {
      guard let f = figures.first(where: { $0.name == name }), case .axes(let axes) = f.figure.panels[0] else { return nil }
      return axes.yAxis.label
    }
    #expect(yLabel("overlay-chik") == "k² χ(k) (Å⁻²)")
    #expect(yLabel("overlay-chir") == "|χ(R)| (Å⁻³)")
    // The single chi(k) figure uses the same words.
    let chik = try #require(a.figures(PlotOptions(lineplots: true)).first { $0.name.hasSuffix(".chik.png") })
    guard case .axes(let single) = chik.figure.panels[0] else { Issue.record("not a line plot"); return }
    #expect(single.yAxis.label == yLabel("overlay-chik"))
  }

  @Test func chiqFigureIsFlatOutsideTheKWindow() throws {
    let input = try SpectrumReader.read(
      path: repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path)[0]
    let result = try process(input, settings: ProcessingSettings.resolve(given: ["kmin": "3", "kmax": "12"]))
    let options = PlotOptions(lineplots: true, chiq: true)
    let figure = try #require(result.figures(options).first { $0.name == "tacl6_bend00.chiq.png" }?.figure)
    #expect(result.figures(PlotOptions(lineplots: true)).allSatisfy { !$0.name.hasSuffix(".chiq.png") })
    let raster = try PlotRenderer.rasterize(figure)
    let layout = try #require(PlotRenderer.panelLayouts(figure).first)
    func rows(_ q0: Double, _ q1: Double) -> [Int] {
      pixels(of: Self.blue, in: raster, x: layout.xMap(q0)...layout.xMap(q1), y: layout.plot.y + 2...layout.plot.maxY - 2).map(\.y)
    }
    // Below the k window (q < kmin - dk/2 = 2.5) chi(q) is small (the R window's filter leaks a
    // little, about 5 % of the peak here): every blue pixel within 10 % of the height of the zero line.
    let low = rows(0.3, 2.0)
    #expect(
      !low.isEmpty && low.allSatisfy { abs(Double($0) - layout.yMap(0)) < 0.1 * layout.plot.height },
      "\(low.min() ?? 0)...\(low.max() ?? 0) vs \(layout.yMap(0))")
    // Inside it Re chi(q) oscillates: the blue pixels spread over a good part of the height.
    let mid = rows(5, 10)
    #expect((mid.max() ?? 0) - (mid.min() ?? 0) > Int(0.3 * layout.plot.height))
  }

  @Test func waveletMapCoversTheFTWindowByDefault() throws {
    let input = try SpectrumReader.read(
      path: repositoryRoot().appendingPathComponent("SampleSpectra/W_metal_rt_01.xdi").path)[0]
    var settings = try ProcessingSettings.resolve(given: ["kmin": "3", "kmax": "11"])
    settings.wavelet = WaveletParameters()
    let result = try process(input, settings: settings)
    let map = try #require(result.wavelet)
    #expect(abs((map.k.first ?? 0) - 3) < 1e-9 && abs((map.k.last ?? 0) - 11) < 1e-9)
    // The drawn map spans the same k range: its x axis runs from 3 to 11.
    let figure = try #require(result.figures(PlotOptions(lineplots: true)).first { $0.name.hasSuffix(".wavelet.png") })
    let layout = try #require(PlotRenderer.panelLayouts(figure.figure).first)
    #expect(abs(layout.x.lower - 3) < 0.06 && abs(layout.x.upper - 11) < 0.06, "\(layout.x.lower)...\(layout.x.upper)")
    #expect(figure.figure.title?.contains("k = 3…11 Å⁻¹") == true)
    // An explicit wavelet k range still wins.
    settings.wavelet?.kmin = 1
    settings.wavelet?.kmax = 13
    let wide = try #require(try process(input, settings: settings).wavelet)
    #expect(abs((wide.k.first ?? 0) - 1) < 1e-9 && abs((wide.k.last ?? 0) - 13) < 1e-9)
  }
}
