// Rebinning real scans onto the three-region EXAFS grid, compared with Larch's rebin_xafs.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// One case of Tests/EXAFSKitTests/Fixtures/scantools/rebin_reference.json
/// (written by Tests/Reference/make_rebin_reference.py with Larch 2026.3.1).
struct RebinReferenceCase: Sendable, Decodable, CustomTestStringConvertible {
  let name: String
  let input: String
  let mu_expr: String
  let e0: Double
  let method: String
  let arguments: [String: Double]
  let energy: [Double]
  let mu: [Double]
  let delta_mu: [Double?]

  var testDescription: String { name }

  static func all() -> [RebinReferenceCase] {
    struct File: Decodable { let cases: [RebinReferenceCase] }
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
      .appendingPathComponent("scantools/rebin_reference.json"),
      let data = try? Data(contentsOf: url),
      let file = try? JSONDecoder().decode(File.self, from: data)
    else { return [] }
    return file.cases
  }

  /// Our parameters for this case: Larch's keyword arguments under our names.
  var parameters: RebinParameters {
    var p = RebinParameters()
    p.e0 = e0
    p.method = RebinParameters.Method(rawValue: method) ?? .boxcar
    if let v = arguments["pre1"] { p.pre1 = v }
    if let v = arguments["pre2"] { p.pre2 = v }
    if let v = arguments["pre_step"] { p.preStep = v }
    if let v = arguments["xanes_step"] { p.xanesStep = v }
    if let v = arguments["exafs1"] { p.exafs1 = v }
    if let v = arguments["exafs2"] { p.exafs2 = v }
    if let v = arguments["exafs_kstep"] { p.exafsKstep = v }
    return p
  }
}

struct ScanToolRebinTests {
  static let cases = RebinReferenceCase.all()

  @Test func referenceFixtureIsPresent() {
    #expect(Self.cases.count == 5)
  }

  @Test(arguments: cases)
  func rebinMatchesLarch(reference: RebinReferenceCase) throws {
    let file = String(reference.input.dropFirst("SampleSpectra/".count))
    let scan = try ScanToolsTestData.scan(file, mu: reference.mu_expr)
    let result = try rebin(scan, parameters: reference.parameters)
    let out = result.spectrum
    try #require(
      out.energy.count == reference.energy.count, "\(out.energy.count) vs Larch \(reference.energy.count) points")
    // The fixture holds full doubles: the grid agrees to 1e-9 eV, mu and delta_mu to 1e-9 relative
    // (the same arithmetic up to summation order).
    for i in out.energy.indices {
      #expect(abs(out.energy[i] - reference.energy[i]) < 1e-9, "energy \(i)")
      #expect(abs(out.mu[i] - reference.mu[i]) <= 1e-9 * max(1, abs(reference.mu[i])), "mu at \(out.energy[i])")
      if let spread = reference.delta_mu[i] {
        #expect(abs(result.deltaMu[i] - spread) <= 1e-9 * max(1, abs(spread)), "delta_mu at \(out.energy[i])")
      } else {
        #expect(result.deltaMu[i].isNaN, "delta_mu at \(out.energy[i]) should be NaN (empty bin)")
      }
    }
  }

  @Test func defaultGridHasLarchsSteps() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    let result = try rebin(scan, parameters: { var p = RebinParameters(); p.e0 = 10205; return p }())
    let e = result.spectrum.energy
    let e0 = 10205.0
    let steps = zip(e.dropFirst(), e).map { (upper: $0, step: $0 - $1) }
    // Pre-edge (below E0 - 30): 2 eV, adjusted to fit the region (within 2%).
    let pre = steps.filter { $0.upper < e0 - 30 }.map(\.step)
    #expect(!pre.isEmpty && pre.allSatisfy { abs($0 - 2) < 0.04 })
    // XANES (E0 - 30 to E0 + 15): 0.05 x int(E0 / 1250) = 0.4 eV for the W L3 edge.
    #expect(result.parameters.xanesStep == 0.4)
    let xanes = steps.filter { $0.upper > e0 - 29 && $0.upper < e0 + 15 }.map(\.step)
    #expect(!xanes.isEmpty && xanes.allSatisfy { abs($0 - 0.4) < 0.01 })
    // EXAFS: uniform in k with step 0.05 1/Å (within 1%).
    let k = e.filter { $0 > e0 + 16 }.map { (($0 - e0) * ETOK).squareRoot() }
    #expect(zip(k.dropFirst(), k).allSatisfy { abs($0 - $1 - 0.05) < 0.0005 })
  }

  @Test func rebinnedMuFollowsTheInputWithinNoise() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    let result = try rebin(scan)
    let out = result.spectrum
    let input = linearInterpolate(x: scan.energy, y: scan.mu, at: out.energy)
    let step = try ScanToolsTestData.edgeStep(scan)
    // Away from the edge (|E - E0| > 20 eV) the boxcar mean and the input agree to 0.5% of the edge
    // step (the EXAFS-region noise of these scans is ~0.1% of the step); at the edge the bins
    // average over a steep rise, so only the overall RMS is bounded there.
    let e0 = result.parameters.e0 ?? 0
    var sum = 0.0
    for i in out.energy.indices {
      let d = abs(out.mu[i] - input[i])
      if abs(out.energy[i] - e0) > 20 { #expect(d < 0.005 * step, "at \(out.energy[i]): \(d)") }
      sum += d * d
    }
    #expect((sum / Double(out.energy.count)).squareRoot() < 0.002 * step)
  }

  @Test func impossibleParametersAreRejected() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    var p = RebinParameters()
    p.exafsKstep = 0
    #expect(throws: EXAFSError.self) { try rebin(scan, parameters: p) }
    p = RebinParameters()
    p.e0 = 9000
    #expect(throws: EXAFSError.self) { try rebin(scan, parameters: p) }
  }
}
