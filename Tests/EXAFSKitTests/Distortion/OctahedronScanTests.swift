// The octahedron fit on raw simulated Ta L3 transmission scans (energy, i0, it) of the FEFF6L TaCl6 + Na8 models, through the processing pipeline's defaults.
import Foundation
import Testing

@testable import EXAFSKit

/// Fixtures: Tests/EXAFSKitTests/Fixtures/octahedron/scans/*.dat and cases.json from
/// Tests/Reference/make_octahedron_scans.py (the same FEFF6L models as the chi(k) fixtures, embedded
/// in an atomic Ta L3 absorption with a white line and a post-edge fall, noise 2e-4 in mu). Each scan
/// goes through `FitData.read` (normalization and AUTOBK with `process` defaults) as a user's file
/// would, then through the fit with its defaults and the shared grid of OctahedronFitTests.
struct OctahedronScanTests {
  struct Truth: Decodable { var trans_angle: Double; var bond_length: Double }

  static func truth(_ name: String) throws -> Truth {
    let url = URL(fileURLWithPath: OctahedronFitTests.fixture("scans/cases.json"))
    return try #require(try JSONDecoder().decode([String: Truth].self, from: Data(contentsOf: url))[name])
  }

  /// Bent octahedra from raw scans: within max(3 deg, 2u) of the truth, u <= 6 deg.
  /// Reached: 175 -> 174.26 +- 1.69, 165 -> 164.08 +- 1.71, 155 -> 154.89 +- 1.27 (reduced chi-square
  /// 15-32: the AUTOBK background and normalization leave a misfit the chi(k) fixtures do not have).
  @Test(
    .enabled(if: OctahedronFitTests.feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"),
    arguments: ["scan175", "scan165", "scan155"])
  func recoversTransAngleFromRawScan(_ name: String) throws {
    let truth = try Self.truth(name)
    let r = try OctahedronFitTests.fit(OctahedronFitTests.fixture("scans/\(name).dat"))
    let u = try #require(r.transAngle.uncertainty, "uncertainty not estimable: \(r.transAngle.note ?? "")")
    #expect(abs(r.transAngle.value - truth.trans_angle) <= max(3, 2 * u), "\(name): \(r.transAngle.value) +- \(u)")
    #expect(u <= 6, "\(name): u = \(u)")
  }

  /// The straight octahedron from its raw scan: within 2u of 180 deg, u <= 6 deg, and the one-sigma
  /// interval reaches 180. Reached: 174.81 +- 5.19 (one sigma 173.80 ... 180).
  @Test(.enabled(if: OctahedronFitTests.feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func straightRawScanIsStraight() throws {
    let truth = try Self.truth("scan180")
    let r = try OctahedronFitTests.fit(OctahedronFitTests.fixture("scans/scan180.dat"))
    let u = try #require(r.transAngle.uncertainty, "uncertainty not estimable: \(r.transAngle.note ?? "")")
    #expect(truth.trans_angle - r.transAngle.value <= 2 * u, "scan180: \(r.transAngle.value) +- \(u)")
    #expect(u <= 6, "scan180: u = \(u)")
    // within 2u is automatic when the interval reaches 180 (u >= 180 - angle then); that it does reach
    // it is the falsifiable part: a scan read as bent would close the interval below 180
    #expect(r.transAngle.interval.count == 2 && r.transAngle.interval[1] == 180, "interval \(r.transAngle.interval)")
  }
}
