// End-to-end tests of energy calibration: exafs calibrate, --eshift / --eshift-from, exafs align.
import Foundation
import Testing

struct CalibrationCommandTests {
  /// Cu foil: E0 (derivative maximum) 8980.5 eV (Larch's find_e0 gives the same, fixtures), Cu K
  /// tabulated 8979.0 eV (xraydb), so eshift = -1.5 eV; processing with it puts E0 on 8979.0 and
  /// leaves chi(k) unchanged (the same shift of E and E0).
  @Test func calibrateThenProcessPutsE0OnTheTable() throws {
    let out = try temporaryFolder()
    let calibration = out.appendingPathComponent("cu.json").path
    var run = try runExafs(["calibrate", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(i0/itrans)", "--element", "Cu", "-o", calibration])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: calibration))) as! [String: Any]
    #expect(json["measured_e0"] as? Double == 8980.5)
    #expect(json["tabulated_e0"] as? Double == 8979.0)
    #expect(json["eshift"] as? Double == -1.5)

    let shifted = out.appendingPathComponent("shifted"), plain = out.appendingPathComponent("plain")
    run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(i0/itrans)", "--eshift-from", calibration, "-o", shifted.path])
    #expect(run.status == 0, "\(run.stderr)")
    run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(i0/itrans)", "-o", plain.path])
    #expect(run.status == 0, "\(run.stderr)")
    let record = try JSONSerialization.jsonObject(with: Data(contentsOf: shifted.appendingPathComponent("cu_metal_rt.json"))) as! [String: Any]
    #expect(abs((record["e0"] as? Double ?? 0) - 8979.0) < 1e-9)
    let params = record["parameters"] as! [String: [String: Any]]
    #expect(params["eshift"]?["value"] as? Double == -1.5)
    let a = try readColumns(shifted.appendingPathComponent("cu_metal_rt.chik")), b = try readColumns(plain.appendingPathComponent("cu_metal_rt.chik"))
    try #require(a.rows.count == b.rows.count)
    // E - E0 is the same to the last bit or two, so chi(k) agrees to rounding (measured 0).
    for (x, y) in zip(a.rows, b.rows) { #expect(abs(x[1] - y[1]) <= 1e-9) }
  }

  @Test func badCalibrationInputsAreRefused() throws {
    let out = try temporaryFolder()
    var run = try runExafs(["calibrate", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(i0/itrans)"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--e0 EV or --element"))
    // A tabulated edge far from the measured one (W L3 for a Cu foil) is a different edge.
    run = try runExafs(["calibrate", "SampleSpectra/cu_metal_rt.xdi", "--mu", "ln(i0/itrans)", "--element", "W", "--edge", "L3"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("a different edge or element?"), "\(run.stderr)")
    let bogus = out.appendingPathComponent("bogus.json")
    try "{\"eshift\": 3}".write(to: bogus, atomically: true, encoding: .utf8)
    run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--eshift-from", bogus.path, "-o", out.path])
    #expect(run.status == 64)
    #expect(run.stderr.contains("not a calibration file"), "\(run.stderr)")
    run = try runExafs(["process", "SampleSpectra/cu_metal_rt.xdi", "--eshift", "5000", "-o", out.path])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--eshift"), "\(run.stderr)")
    #expect(listing(out) == ["bogus.json"])
  }

  /// A W scan moved by +2.50 eV is moved back: align finds eshift -2.50 eV within 0.05 eV.
  @Test func alignUndoesAKnownShift() throws {
    let out = try temporaryFolder()
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_01.xdi"), encoding: .utf8)
    var lines: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if !line.hasPrefix("#"), let e = fields.first.flatMap({ Double($0) }) {
        lines.append(([String(e + 2.5)] + fields.dropFirst().map(String.init)).joined(separator: " "))
      } else {
        lines.append(String(line))
      }
    }
    let moved = out.appendingPathComponent("W_moved.xdi")
    try lines.joined(separator: "\n").write(to: moved, atomically: true, encoding: .utf8)
    let target = out.appendingPathComponent("aligned")
    let run = try runExafs(["align", "SampleSpectra/W_metal_rt_01.xdi", moved.path, "--mu", "ln(i0/itrans)", "-o", target.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(listing(target) == ["W_metal_rt_01.aligned", "W_moved.aligned", "alignment.csv"])
    let csv = try String(contentsOf: target.appendingPathComponent("alignment.csv"), encoding: .utf8).split(separator: "\n")
    let shift = try #require(Double(csv[2].split(separator: ",")[2]))
    #expect(abs(shift + 2.5) < 0.05, "eshift \(shift)")
  }
}
