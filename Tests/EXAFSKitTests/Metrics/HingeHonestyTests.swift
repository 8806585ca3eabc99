// Hinge metrics say what they measure: the maximum on the window's edge, windows the data do not cover, an uncertainty that was not estimated.
import Foundation
import Testing

@testable import EXAFSKit

struct HingeHonestyTests {
  func chi(_ file: String) throws -> (k: [Double], chi: [Double]) {
    let path = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/\(file)").path
    guard case .chi(let c) = try #require(try SpectrumReader.read(path: path, options: ReadOptions()).first) else {
      throw EXAFSError.unusableData(SourceLocation(file: path), "expected chi(k)")
    }
    return (c.k, c.chi)
  }

  func metrics(k: [Double], chi: [Double], realizations: Int) throws -> HingeMetrics {
    var hinge = try #require(HingeParameters.preset("tacl6"))
    hinge.realizations = realizations
    var ft = FTParameters()
    ft.kmin = 3; ft.kmax = 14
    var wp = WaveletParameters()
    wp.kweight = 2
    return try hingeMetrics(k: k, chi: chi, wavelet: wp, ft: ft, parameters: hinge)
  }

  /// On the FEFF TaCl6 simulations the tacl6 window's maximum sits on its lowest R row (3.924 Å,
  /// the tail of the Na / triangle-path feature near 3.6 Å): flagged, with the warning, and the
  /// window holds no interior ridge maximum (checked on the map of bend 0 and bend 20).
  @Test(arguments: ["tacl6_bend00.chi", "tacl6_bend20.chi"])
  func maximumOnTheWindowEdgeIsSaid(_ file: String) throws {
    let (k, c) = try chi(file)
    let m = try metrics(k: k, chi: c, realizations: 2)
    #expect(m.maximumOnEdge, "\(file): maximum at k \(m.k), R \(m.r)")
    #expect(abs(m.r - 3.924) < 0.01, "\(file): R of the maximum \(m.r)")
    #expect(m.interiorMaximum == nil && m.interiorRatio == nil)
    #expect(m.warnings.contains { $0.contains("window's edge") && $0.contains("no interior ridge") })
  }

  /// A window moved onto the hinge ridge of the simulation finds an interior maximum, not on the edge.
  @Test func interiorRidgeIsFound() throws {
    let (k, c) = try chi("tacl6_bend00.chi")
    var hinge = try #require(HingeParameters.preset("tacl6"))
    hinge.hinge = MapWindow(kmin: 2, kmax: 12, rmin: 3.0, rmax: 4.6)
    hinge.realizations = 2
    var ft = FTParameters()
    ft.kmin = 3; ft.kmax = 14
    var wp = WaveletParameters()
    wp.kweight = 2
    let m = try hingeMetrics(k: k, chi: c, wavelet: wp, ft: ft, parameters: hinge)
    let im = try #require(m.interiorMaximum, "no interior maximum; max at k \(m.k) R \(m.r)")
    #expect(im.r > 3.0 && im.r < 4.6 && im.k > 2 && im.k < 12)
    #expect(m.interiorRatio == im.intensity / m.shell1.intensity)
    #expect(!m.maximumOnEdge || im.intensity < m.intensity)
  }

  /// Zero or one realization: the uncertainty is 0 and flagged as not estimable, with a warning.
  @Test(arguments: [0, 1]) func uncertaintyNotEstimableIsSaid(_ n: Int) throws {
    let (k, c) = try chi("tacl6_bend10.chi")
    let m = try metrics(k: k, chi: c, realizations: n)
    #expect(m.uncertainty == 0 && !m.uncertaintyEstimable)
    #expect(m.warnings.contains { $0.contains("not estimable") })
    let ok = try metrics(k: k, chi: c, realizations: 5)
    #expect(ok.uncertaintyEstimable && ok.uncertainty > 0)
  }

  /// Data ending at k = 8 (inside the first-shell window 3 ... 12 and the hinge window 3 ... 10): warned.
  @Test func dataNotCoveringTheWindowsAreWarned() throws {
    let (k, c) = try chi("tacl6_bend10.chi")
    let n = k.firstIndex { $0 > 8 }!
    let m = try metrics(k: Array(k[..<n]), chi: Array(c[..<n]), realizations: 2)
    #expect(m.warnings.filter { $0.contains("do not cover") }.count == 2, "\(m.warnings)")
    let full = try metrics(k: k, chi: c, realizations: 2)
    #expect(!full.warnings.contains { $0.contains("do not cover") })
  }
}
