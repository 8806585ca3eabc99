// `exafs compare --octahedron`: the fitted angle per spectrum, its change against the reference and the significance, next to the hinge ratio.
import Foundation
import Testing

struct CompareOctahedronCommandTests {
  static let feffPresent = FileManager.default.isExecutableFile(atPath: "/usr/bin/feff6l")

  /// Pristine (180 deg) vs composite (160 deg) simulated transmission scans, default grid (17 FEFF
  /// runs into a temporary cache). The angles must match the geometry the scans were made with
  /// (180 within 2u, 160 within max(3, 2u)); the table's change, combined uncertainty and
  /// significance must follow from the two NAME.octahedron.json files (computed here).
  @Test(.enabled(if: feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func anglesAndTheirChangeNextToTheHingeRatio() throws {
    let out = try temporaryFolder()
    let run = try runExafs([
      "compare", "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat",
      "SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat", "--hinge", "tacl6", "--realizations", "10",
      "--octahedron", "--absorber", "Ta", "--ligand", "Cl", "--shell", "Na:8:3.9",
      "--cache", out.appendingPathComponent("cache").path, "-o", out.appendingPathComponent("cmp").path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let cmp = out.appendingPathComponent("cmp")
    func angle(_ name: String) throws -> (value: Double, u: Double) {
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: cmp.appendingPathComponent("\(name).octahedron.json"))) as? [String: Any])
      let a = try #require(json["trans_angle"] as? [String: Any])
      return (try #require(a["value"] as? Double), try #require(a["uncertainty"] as? Double, "\(name): u not estimable"))
    }
    let ref = try angle("tacl6_bend00_sim_transmission"), bent = try angle("tacl6_bend20_sim_transmission")
    #expect(180 - ref.value <= 2 * ref.u, "pristine \(ref)")
    #expect(abs(bent.value - 160) <= max(3, 2 * bent.u) && bent.u <= 6, "composite \(bent)")
    let csv = try String(contentsOf: cmp.appendingPathComponent("comparison.csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    func value(_ row: Int, _ name: String) throws -> String {
      let i = try #require(lines[0].firstIndex(of: name), "no column \(name)")
      return lines[row][i]
    }
    func number(_ row: Int, _ name: String) throws -> Double { try #require(Double(try value(row, name)), "\(name)") }
    #expect(abs(try number(1, "trans_angle") - ref.value) <= 1e-3)  // %.6g in the CSV
    #expect(abs(try number(2, "trans_angle") - bent.value) <= 1e-3)
    #expect(abs(try number(2, "trans_angle_uncertainty") - bent.u) <= 1e-3)
    let sigma = (ref.u * ref.u + bent.u * bent.u).squareRoot()
    #expect(abs(try number(2, "angle_change") - (bent.value - ref.value)) <= 1e-3)
    #expect(abs(try number(2, "angle_combined_uncertainty") - sigma) <= 1e-4)
    #expect(abs(try number(2, "angle_change_in_sigma") - abs(bent.value - ref.value) / sigma) <= 1e-4)
    #expect(try value(2, "angle_significant") == (abs(bent.value - ref.value) > 2 * sigma ? "yes" : "no"))
    #expect(try value(2, "angle_basis") == "chi-square profile")
    #expect(try value(1, "angle_change") == "")  // the reference has no change
    // the hinge ratio is still there, next to it
    #expect(try number(2, "hinge_ratio") < number(1, "hinge_ratio"))
    let md = try String(contentsOf: cmp.appendingPathComponent("comparison.md"), encoding: .utf8)
    #expect(md.contains("## Fitted trans angle"))
    let html = try String(contentsOf: cmp.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains("Fitted trans angle") && html.contains("tacl6_bend20_sim_transmission.octahedron.json"))
  }
}
