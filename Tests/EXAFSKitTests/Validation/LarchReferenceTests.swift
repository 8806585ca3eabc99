// Agreement with xraylarch on every bundled sample. The reference numbers were produced by
// Tests/Reference/make_reference.py (Larch's pre_edge, autobk, xftf) and committed as fixtures.
// Tolerances are those of the foundation issue: e0 within 0.5 eV, edge step within 1%,
// k^2 chi(k) RMS difference over 3 <= k <= kmax within 2% of Larch's RMS, first-shell |chi(R)|
// peak at the same R within one R step and its height within 2%.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// One Larch fixture (Tests/EXAFSKitTests/Fixtures/larch/NAME.json).
struct LarchFixture: Sendable, Decodable, CustomTestStringConvertible {
  struct PreEdge: Sendable, Decodable { let e0: Double; let edge_step: Double }
  struct Autobk: Sendable, Decodable { let rbkg: Double; let kweight: Double }
  struct XFTF: Sendable, Decodable {
    let kmin: Double; let kmax: Double; let dk: Double; let window: String; let kweight: Double
  }
  var name = ""
  let input: String
  let kind: String
  let mu_expr: String?
  let group: String?
  let pre_edge: PreEdge?
  let autobk: Autobk?
  let xftf: XFTF
  let k: [Double]
  let chi: [Double]
  let r: [Double]
  let chir_mag: [Double]

  private enum CodingKeys: String, CodingKey {
    case input, kind, mu_expr, group, pre_edge, autobk, xftf, k, chi, r, chir_mag
  }

  var testDescription: String { name }

  static func all() -> [LarchFixture] {
    guard let dir = fixturesURL()?.appendingPathComponent("larch"),
      let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
    else { return [] }
    return files.sorted().filter { $0.hasSuffix(".json") && !$0.contains(".cauchy.") && !$0.contains(".athena.") }
      .compactMap { file in
        guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path),
          var fixture = try? JSONDecoder().decode(LarchFixture.self, from: data)
        else { return nil }
        fixture.name = String(file.dropLast(5))
        return fixture
      }
  }

  /// The sample file, relative to the repository root.
  var inputPath: String { repositoryRoot().appendingPathComponent(input).path }
}

/// Tests/EXAFSKitTests/Fixtures as bundled with the test target.
func fixturesURL() -> URL? {
  Bundle.module.url(forResource: "Fixtures", withExtension: nil)
}

/// The repository root (three levels above this file).
func repositoryRoot() -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
}

struct LarchReferenceTests {
  static let fixtures = LarchFixture.all()

  @Test func fixturesArePresent() {
    #expect(Self.fixtures.count >= 4)
  }

  @Test(arguments: fixtures)
  func pipelineMatchesLarch(fixture: LarchFixture) throws {
    let kind = fixture.kind
    var options = ReadOptions()
    options.mu = fixture.mu_expr
    if let group = fixture.group { options.groups = [group] }
    let inputs = try SpectrumReader.read(path: fixture.inputPath, options: options)
    try #require(inputs.count == 1)
    var values: ParameterValues = [:]
    if kind == "mu" {
      values["rbkg"] = String(fixture.autobk?.rbkg ?? 1)
      values["bkg_kweight"] = String(fixture.autobk?.kweight ?? 1)
    }
    values["kmin"] = String(fixture.xftf.kmin)
    values["kmax"] = String(fixture.xftf.kmax)
    values["dk"] = String(fixture.xftf.dk)
    values["kweight"] = String(fixture.xftf.kweight)
    values["window"] = fixture.xftf.window
    let settings = try ProcessingSettings.resolve(stored: [:], given: values)
    let result = try process(inputs[0], settings: settings)

    if kind == "mu" {
      let e0 = try #require(fixture.pre_edge?.e0)
      let step = try #require(fixture.pre_edge?.edge_step)
      let n = try #require(result.normalized)
      #expect(abs(n.e0 - e0) <= 0.5, "e0 \(n.e0) vs Larch \(e0)")
      #expect(abs(n.edgeStep - step) / step <= 0.01, "edge step \(n.edgeStep) vs Larch \(step)")
    }

    // k^2 chi(k) over 3 <= k <= kmax of the FT.
    let kRef = fixture.k, chiRef = fixture.chi
    let kmax = fixture.xftf.kmax
    let ours = linearInterpolate(x: result.chik.k, y: result.chik.chi, at: kRef)
    var diff2 = 0.0, ref2 = 0.0
    for i in kRef.indices where kRef[i] >= 3 && kRef[i] <= kmax {
      let w = kRef[i] * kRef[i]
      diff2 += pow(w * (ours[i] - chiRef[i]), 2)
      ref2 += pow(w * chiRef[i], 2)
    }
    let relRMS = (diff2 / ref2).squareRoot()
    #expect(relRMS <= 0.02, "k^2 chi RMS difference \(relRMS) of Larch's RMS")

    // First-shell peak: the maximum of |chi(R)| between 1 and 3.5 Å.
    let rRef = fixture.r, magRef = fixture.chir_mag
    let refPeak = rRef.indices.filter { rRef[$0] >= 1 && rRef[$0] <= 3.5 }.max { magRef[$0] < magRef[$1] }!
    let ourPeak = try #require(result.chir.peak(rmin: 1, rmax: 3.5))
    #expect(abs(ourPeak.r - rRef[refPeak]) <= result.settings.fourier.rstep + 1e-9)
    #expect(abs(ourPeak.mag - magRef[refPeak]) / magRef[refPeak] <= 0.02)
  }
}
