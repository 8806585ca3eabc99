// The back transform chi(R) -> chi(q) of a processed spectrum against Larch's xftr (fixtures from
// Tests/Reference/make_backtransform_reference.py).
import Foundation
import Testing

@testable import EXAFSKit

/// One case of Fixtures/backtransform/.
struct BackTransformFixture: Sendable, Decodable, CustomTestStringConvertible {
  struct XFTF: Sendable, Decodable { let kmin: Double; let kmax: Double; let dk: Double; let window: String; let kweight: Double }
  struct XFTR: Sendable, Decodable { let rmin: Double; let rmax: Double; let dr: Double; let window: String }
  var name = ""
  let input: String
  let kind: String
  let xftf: XFTF
  let xftr: XFTR
  let q: [Double]
  let chiq_re: [Double]
  let chiq_im: [Double]
  let chiq_mag: [Double]
  let rwin: [Double]
  private enum CodingKeys: String, CodingKey { case input, kind, xftf, xftr, q, chiq_re, chiq_im, chiq_mag, rwin }
  var testDescription: String { name }

  static func all() throws -> [BackTransformFixture] {
    let dir = try #require(fixturesURL()).appendingPathComponent("backtransform")
    return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted().map {
      var f = try JSONDecoder().decode(BackTransformFixture.self, from: Data(contentsOf: dir.appendingPathComponent($0)))
      f.name = String($0.dropLast(5))
      return f
    }
  }
}

struct BackTransformLarchTests {
  @Test func threeCasesArePresent() throws { #expect(try BackTransformFixture.all().count == 3) }

  @Test(arguments: try BackTransformFixture.all())
  func chiqMatchesLarchXftr(fixture: BackTransformFixture) throws {
    var options = ReadOptions()
    if fixture.kind == "mu" { options.mu = "ln(i0/itrans)" }
    let input = try SpectrumReader.read(path: repositoryRoot().appendingPathComponent(fixture.input).path, options: options)[0]
    var given: ParameterValues = [
      "kmin": String(fixture.xftf.kmin), "kmax": String(fixture.xftf.kmax), "dk": String(fixture.xftf.dk),
      "window": fixture.xftf.window, "kweight": String(fixture.xftf.kweight),
      "rmin": String(fixture.xftr.rmin), "rmax": String(fixture.xftr.rmax), "dr": String(fixture.xftr.dr),
      "rwindow": fixture.xftr.window,
    ]
    if fixture.kind == "mu" {
      given["rbkg"] = "1"
      given["bkg_kweight"] = "1"
    }
    let result = try process(input, settings: ProcessingSettings.resolve(given: given))
    let chiq = result.chiq
    try #require(chiq.q.count == fixture.q.count)
    #expect(peakRelativeDeviation(chiq.q, fixture.q) < 1e-12)
    #expect(peakRelativeDeviation(chiq.window, fixture.rwin) < 1e-9)  // the R window: 10-digit rounding
    // Measured (peak-relative): 3.6e-9 for the Cu foil (through pre_edge and AUTOBK); for chi(k)
    // input our 10-digit output equals the fixture's digits (deviation below the rounding, ~1e-10).
    // Tolerances: about 3x the measured, and the rounding for chi(k).
    let tolerance = fixture.kind == "mu" ? 1e-8 : 1e-9
    for (ours, theirs, part) in [
      (chiq.re, fixture.chiq_re, "re"), (chiq.im, fixture.chiq_im, "im"), (chiq.mag, fixture.chiq_mag, "mag"),
    ] {
      let dev = peakRelativeDeviation(ours, theirs)
      #expect(dev < tolerance, "\(fixture.name) chiq_\(part): \(dev)")
    }
  }

  @Test func chiqFileHasTheColumnsAndTheWindow() throws {
    let input = try SpectrumReader.read(path: repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path)[0]
    let result = try process(input, settings: ProcessingSettings.resolve(given: ["rmin": "1.5", "rmax": "2.8"]))
    let text = String(decoding: result.chiqFile().contents, as: UTF8.self)
    #expect(text.contains("rmin=1.5 rmax=2.8 dr=0.5"))
    let header = try #require(text.split(separator: "\n").last { $0.hasPrefix("#") })
    #expect(header.contains("q") && header.contains("chiq_re") && header.contains("chiq_im") && header.contains("chiq_mag") && header.contains("kwin"))
    #expect(result.chiqFile().name == "tacl6_bend00.chiq")
  }

  @Test func rmaxMustExceedRmin() {
    #expect(throws: EXAFSError.self) { try ProcessingSettings.resolve(given: ["rmin": "3", "rmax": "2"]) }
  }
}
