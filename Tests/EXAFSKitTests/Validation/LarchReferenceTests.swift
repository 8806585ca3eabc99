// Agreement with xraylarch on every bundled sample. The reference numbers were produced by
// Tests/Reference/make_reference.py (Larch's pre_edge, autobk, xftf) and committed as fixtures.
// Tolerances are those of the foundation issue: e0 within 0.5 eV, edge step within 1%,
// k^2 chi(k) RMS difference over 3 <= k <= kmax within 2% of Larch's RMS, first-shell |chi(R)|
// peak at the same R within one R step and its height within 2%.
import Foundation
import Testing

@testable import EXAFSKit

/// One Larch fixture (Tests/EXAFSKitTests/Fixtures/larch/NAME.json).
struct LarchFixture: Sendable, CustomTestStringConvertible {
  let name: String
  let json: [String: Any]

  var testDescription: String { name }

  static func all() -> [LarchFixture] {
    guard let dir = fixturesURL()?.appendingPathComponent("larch"),
      let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
    else { return [] }
    return files.sorted().filter { $0.hasSuffix(".json") && !$0.contains(".cauchy.") && !$0.contains(".athena.") }
      .compactMap { file in
        guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path),
          let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return LarchFixture(name: String(file.dropLast(5)), json: obj)
      }
  }

  func array(_ key: String) -> [Double] { (json[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? [] }
  func number(_ group: String, _ key: String) -> Double? { ((json[group] as? [String: Any])?[key] as? NSNumber)?.doubleValue }
  func string(_ group: String, _ key: String) -> String? { (json[group] as? [String: Any])?[key] as? String }

  /// The sample file, relative to the repository root.
  var inputPath: String { repositoryRoot().appendingPathComponent(json["input"] as? String ?? "").path }
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
    let kind = fixture.json["kind"] as? String ?? "mu"
    var options = ReadOptions()
    options.mu = fixture.json["mu_expr"] as? String
    if let group = fixture.json["group"] as? String { options.groups = [group] }
    let inputs = try SpectrumReader.read(path: fixture.inputPath, options: options)
    try #require(inputs.count == 1)
    var values: ParameterValues = [:]
    if kind == "mu" {
      values["rbkg"] = String(fixture.number("autobk", "rbkg") ?? 1)
      values["bkg_kweight"] = String(fixture.number("autobk", "kweight") ?? 1)
    }
    values["kmin"] = String(try #require(fixture.number("xftf", "kmin")))
    values["kmax"] = String(try #require(fixture.number("xftf", "kmax")))
    values["dk"] = String(fixture.number("xftf", "dk") ?? 1)
    values["kweight"] = String(fixture.number("xftf", "kweight") ?? 2)
    values["window"] = fixture.string("xftf", "window") ?? "hanning"
    let settings = try ProcessingSettings.resolve(stored: [:], commandLine: values)
    let result = try process(inputs[0], settings: settings)

    if kind == "mu" {
      let e0 = try #require(fixture.number("pre_edge", "e0"))
      let step = try #require(fixture.number("pre_edge", "edge_step"))
      let n = try #require(result.normalized)
      #expect(abs(n.e0 - e0) <= 0.5, "e0 \(n.e0) vs Larch \(e0)")
      #expect(abs(n.edgeStep - step) / step <= 0.01, "edge step \(n.edgeStep) vs Larch \(step)")
    }

    // k^2 chi(k) over 3 <= k <= kmax of the FT.
    let kRef = fixture.array("k"), chiRef = fixture.array("chi")
    let kmax = try #require(fixture.number("xftf", "kmax"))
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
    let rRef = fixture.array("r"), magRef = fixture.array("chir_mag")
    let refPeak = rRef.indices.filter { rRef[$0] >= 1 && rRef[$0] <= 3.5 }.max { magRef[$0] < magRef[$1] }!
    let ourPeak = try #require(result.chirPeak(rmin: 1, rmax: 3.5))
    #expect(abs(ourPeak.r - rRef[refPeak]) <= result.settings.fourier.rstep + 1e-9)
    #expect(abs(ourPeak.mag - magRef[refPeak]) / magRef[refPeak] <= 0.02)
  }
}
