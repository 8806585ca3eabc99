// Phase-corrected transforms put the TaCl6 first shell at its real distance; fit figures are drawn.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct PhaseCorrectionTests {
  func tacl6() throws -> (k: [Double], chi: [Double], ft: FTParameters, path: FeffPath) {
    let data = try FitData.read(path: repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path)
    var ft = FTParameters()
    ft.kmin = 3; ft.kmax = 14; ft.dk = 1; ft.window = .hanning; ft.kweight = 2
    let path = try FeffPath(path: fittingFixtures().appendingPathComponent("feff6/tacl6/feff0001.dat").path)
    return (data.k, data.chi, ft, path)
  }

  /// The first |chi(R)| peak of the simulation sits at 2.37 Å within one R step (0.0307 Å) with the
  /// Ta-Cl phase removed; without it, about 0.4 Å lower.
  @Test func firstShellPeakAtTheRealDistance() throws {
    let (k, chi, ft, path) = try tacl6()
    let corrected = phaseCorrected(k: k, chi: chi, path: path, parameters: ft)
    let peak = try #require(corrected.peak(rmin: 1.5, rmax: 3.2))
    #expect(abs(peak.r - 2.37) <= ft.rstep, "phase-corrected peak at \(peak.r)")
    let plain = try #require(FourierTransform.forward(k: k, chi: chi, parameters: ft).peak(rmin: 1.5, rmax: 3.2))
    #expect(plain.r < 2.1, "uncorrected peak at \(plain.r)")
    print("PHASE-CORRECTED peak \(peak.r) Å, uncorrected \(plain.r) Å")
  }

  @Test func fitFiguresShowDataFitAndPaths() throws {
    let model = try FitModel(path: fittingFixtures().appendingPathComponent("cases/tacl6-two-datasets.model.json").path)
    let data = try model.datasets.map { try FitData.read(path: try #require($0.data)) }
    let figures = try feffit(model: model, data: data).figures()
    #expect(figures.map(\.name) == ["fit-k_tacl6_bend00", "fit-r_tacl6_bend00", "fit-k_tacl6_bend20", "fit-r_tacl6_bend20"])
    for (_, f) in figures {
      let png = try PlotRenderer.render(f, format: .png)
      #expect(png.count > 10_000)
    }
  }
}
