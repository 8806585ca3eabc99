// The LCF and PCA figures, checked on their pixels: the curves and markers are where the numbers put them.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct MixturePlotTests {
  static func lcf() throws -> LinearCombinationResult {
    let reference = try #require(LCFReferenceCase.file?.cases.first { $0.name == "tacl6_norm_two" })
    let (sample, standards) = reference.larchArrays
    return try analyzeLinearCombinations(sample: sample, standards: standards, parameters: reference.parameters).fit
  }

  @Test func lcfFigureDrawsDataOnTopAndResidualBelow() throws {
    let fit = try Self.lcf()
    let figure = fit.figure(space: .norm, kweight: 2)
    let raster = try PlotRenderer.rasterize(figure)
    let layouts = PlotRenderer.panelLayouts(figure)
    try #require(layouts.count == 2)
    // The sample (black, width 2) passes through its white-line maximum.
    let top = layouts[0]
    let i = try #require(fit.data.indices.max { fit.data[$0] < fit.data[$1] })
    let px = Int(top.xMap(fit.x[i])), py = Int(top.yMap(fit.data[i]))
    let black = (-4...4).contains { dy in
      let (r, g, b) = raster.rgb(px, py + dy)
      return r < 70 && g < 70 && b < 70
    }
    #expect(black, "no black sample curve at the white line (\(px), \(py))")
    // The residual panel holds the zero line (black) across its width.
    let bottom = layouts[1]
    let zeroRow = Int(bottom.yMap(0))
    let columns = stride(from: Int(bottom.plot.x) + 5, to: Int(bottom.plot.x + bottom.plot.width) - 5, by: 10)
    let dark = columns.filter { x in (-2...2).contains { dy in raster.rgb(x, zeroRow + dy).0 < 130 } }
    #expect(dark.count > columns.underestimatedCount * 8 / 10, "zero line / residual missing")
  }

  @Test func pcaFigureMarksTheINDEstimate() throws {
    let reference = try #require(PCAReferenceCase.file?.cases.first)
    let x = try #require(reference.x), rows = try #require(reference.ydat)
    let spectra = zip(reference.spectra, rows).map {
      MixtureSpectrum(name: $0, source: "larch", e0: 0, space: .norm, x: x, y: $1)
    }
    let model = try trainPrincipalComponents(try MixtureMatrix(spectra, xmin: nil, xmax: nil), space: .norm, xmin: nil, xmax: nil)
    let figure = model.figure(targets: [], shown: 3, kweight: 2)
    let raster = try PlotRenderer.rasterize(figure)
    let layouts = PlotRenderer.panelLayouts(figure)
    try #require(layouts.count == 4)
    // The dashed red marker of the IND estimate (3) at component 3.5 in the first panel.
    let scree = layouts[0]
    let mx = Int(scree.xMap(Double(model.indComponents) + 0.5))
    let lines = stride(from: Int(scree.plot.y) + 5, to: Int(scree.plot.y + scree.plot.height) - 5, by: 3)
    let red = lines.filter { y in (-2...2).contains { dx in
      let (r, g, b) = raster.rgb(mx + dx, y)
      return r > 150 && g < 110 && b < 110
    } }
    #expect(red.count > 10, "IND marker not drawn at x = \(mx)")
  }
}
