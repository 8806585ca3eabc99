// `exafs octahedron` end to end: the files and JSON layout, the FEFF cache, command-line errors that write nothing.
import Foundation
import Testing

struct OctahedronCommandTests {
  static let feffPresent = FileManager.default.isExecutableFile(atPath: "/usr/bin/feff6l")

  /// A short grid (180 ... 170 in 5-degree steps: 3 FEFF runs) keeps this fast; the angle's accuracy
  /// is tested in EXAFSKitTests/Distortion.
  @Test(.enabled(if: feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func writesOctahedronJSONAndArrays() throws {
    let out = try temporaryFolder()
    let cache = out.appendingPathComponent("cache").path
    let args = [
      "octahedron", "Tests/EXAFSKitTests/Fixtures/octahedron/angle175.chi", "--absorber", "Ta", "--ligand", "Cl",
      "--edge", "L3", "--shell", "Na:8:3.9", "--bond", "2.37", "--min-angle", "170", "--angle-step", "5",
      "--cache", cache, "--plot", "-o", out.appendingPathComponent("fit").path,
    ]
    let run = try runExafs(args)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("3 angles (0 cached, 3 run now)"), "\(run.stdout)")
    #expect(
      listing(out.appendingPathComponent("fit")) == [
        "angle175.octahedron-groups.png", "angle175.octahedron-k.png", "angle175.octahedron-profile.png",
        "angle175.octahedron-r.png", "angle175.octahedron-wavelet.png", "angle175.octahedron.chik",
        "angle175.octahedron.chir", "angle175.octahedron.json", "index.html",
      ])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("fit/angle175.octahedron.json"))) as? [String: Any])
    for key in ["trans_angle", "bend", "bond_length", "sigma2_first_shell", "sigma2_ms", "outer_shells", "s02", "e0_shift",
                "statistics", "correlations", "parameters", "profile", "grid", "paths_per_angle", "warnings", "wavelet"] {
      #expect(json[key] != nil, "\(key) missing")
    }
    let angle = try #require(json["trans_angle"] as? [String: Any])
    let value = try #require(angle["value"] as? Double)
    let bend = try #require((json["bend"] as? [String: Any])?["value"] as? Double)
    #expect(abs(value + bend - 180) < 1e-9)
    #expect(value > 170 && value <= 180)
    let shells = try #require(json["outer_shells"] as? [[String: Any]])
    #expect(shells.count == 1 && shells[0]["element"] as? String == "Na" && shells[0]["count"] as? Int == 8)
    let (names, rows) = try readColumns(out.appendingPathComponent("fit/angle175.octahedron.chik"))
    #expect(names == ["k", "data", "model", "first_shell", "shell_Na8", "ligand_ms", "outer_ms", "ligand_ms_focused", "ligand_ms_triangles"])
    // the wavelet record: the tacl6 hinge window and the cell nearest (k 6, R 4.2), a share per group
    let wavelet = try #require(json["wavelet"] as? [String: Any])
    let point = try #require(wavelet["point"] as? [String: Any])
    #expect(abs((point["k"] as? Double ?? 0) - 6) < 0.03 && abs((point["r"] as? Double ?? 0) - 4.2) < 0.02)
    let groups = try #require(point["groups"] as? [String: [String: Double]])
    #expect(Set(groups.keys) == ["first_shell", "shell_Na8", "ligand_ms_focused", "ligand_ms_triangles", "outer_ms"])
    let window = try #require((wavelet["hinge_window"] as? [String: Any])?["window"] as? [String: Double])
    #expect(window == ["kmin": 3, "kmax": 10, "rmin": 3.9, "rmax": 4.6])
    let html = try String(contentsOf: out.appendingPathComponent("fit/index.html"), encoding: .utf8)
    #expect(html.contains("angle175.octahedron-wavelet.png") && html.contains("angle175.octahedron-groups.png"))
    #expect(html.contains("ligand_ms_focused"))
    #expect(rows.count > 300)
    // the second run reads every FEFF run from the cache
    let again = try runExafs(args)
    #expect(again.status == 0 && again.stdout.contains("3 angles (3 cached, 0 run now)"), "\(again.stdout)")
  }

  @Test func badShellIsACommandLineErrorAndWritesNothing() throws {
    let out = try temporaryFolder()
    let run = try runExafs([
      "octahedron", "Tests/EXAFSKitTests/Fixtures/octahedron/angle175.chi", "--absorber", "Ta", "--ligand", "Cl",
      "--shell", "Na:7:3.9", "-o", out.appendingPathComponent("fit").path,
    ])
    #expect(run.status == 64, "\(run.status) \(run.stderr)")
    #expect(run.stderr.contains("N must be 6"))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("fit").path))
  }
}
