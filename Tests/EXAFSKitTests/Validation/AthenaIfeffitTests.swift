// EXAFSKit's IFEFFIT pre-edge convention against IFEFFIT itself (Debian's `ifeffit`, Athena's
// backend before Larch), on real groups of an IFEFFIT-era Athena project.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct AthenaIfeffitTests {
  static let ifeffit = "/usr/bin/ifeffit"
  static var available: Bool { RealData.available && FileManager.default.isExecutableFile(atPath: ifeffit) }

  /// IFEFFIT's edge_step for `s` (energies already shifted) with its stored parameters, running
  /// Demeter's ifeffit/normalize.tmpl call `pre_edge(energy, xmu, e0=, pre1=, pre2=, norm_order=
  /// bkg_nnorm, norm1=, norm2=)`.
  static func ifeffitStep(_ s: XASSpectrum, args: [String: String]) throws -> Double {
    let dir = try IOTestSupport.temporaryDirectory()
    let data = dir + "/g.dat"
    try zip(s.energy, s.mu).map { "\($0) \($1)" }.joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
    let a = { (k: String) in args[k] ?? "" }
    let commands = """
      read_data(file=\(data), type=raw, group=g)
      pre_edge(g.1, g.2, e0=\(a("bkg_e0")), pre1=\(a("bkg_pre1")), pre2=\(a("bkg_pre2")), norm_order=\(a("bkg_nnorm")), norm1=\(a("bkg_nor1")), norm2=\(a("bkg_nor2")))
      show edge_step
      exit

      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ifeffit)
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data(commands.utf8))
    try input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard let line = text.split(separator: "\n").first(where: { $0.contains("edge_step") && $0.contains("=") }),
      let value = Double(line.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "")
    else { throw EXAFSError.numerical("no edge_step from ifeffit: \(text)") }
    return value
  }

  /// athena4.prj (Demeter 0.9.26 with IFEFFIT 1.2.12): every group's edge step with the IFEFFIT
  /// convention equals IFEFFIT 1.2.11d's within 1e-5 relative (measured 7.1e-6; IFEFFIT prints 11
  /// digits), where Larch's convention differs by up to 2.8% (CuXAFS_GlassGT1_G_001.dat).
  @Test(.enabled(if: available, "needs ../shared/data/real and Debian's ifeffit (make deps-test installs it)"))
  func ifeffitConventionMatchesIfeffit() throws {
    let path = RealData.root.appendingPathComponent("athena-projects/athena4.prj").path
    let groups = try AthenaProject.read(path: path)
    var largestLarchDifference = 0.0
    var compared = 0
    for entry in try SpectrumReader.readEach(path: path) {
      guard case .success(.mu(let s)) = entry, let group = groups.first(where: { $0.oldGroup == s.metadata["athena.group"] })
      else { continue }
      var p = try ProcessingSettings.resolve(stored: s.storedParameters, given: [:]).normalization
      #expect(p.convention == .ifeffit)
      let reference = try Self.ifeffitStep(s, args: group.args)
      let ours = try normalize(s, parameters: p).edgeStep
      #expect(abs(ours / reference - 1) < 1e-5, "\(group.label): \(ours) vs IFEFFIT \(reference)")
      p.convention = .larch
      largestLarchDifference = max(largestLarchDifference, abs(try normalize(s, parameters: p).edgeStep / reference - 1))
      compared += 1
    }
    #expect(compared == 21)
    #expect(largestLarchDifference > 0.02)
  }
}
