// Round trip of a processed spectrum through an Athena project: our writer -> Larch's read_athena
// -> Larch's project writer -> our reader, with the numbers compared at each step.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct AthenaRoundTripTests {
  /// cu_metal_rt.xdi processed with defaults, as the group `exafs process --athena` writes.
  static func processedGroup() throws -> AthenaGroup {
    let input = try SpectrumReader.read(path: IOTestSupport.fixture("cu_metal_rt.xdi"))[0]
    let result = try process(input, settings: ProcessingSettings.resolve(stored: [:], given: [:]))
    return result.athenaGroup
  }

  @Test func writtenGroupCarriesDemeterArgsAndEncodings() throws {
    let group = try Self.processedGroup()
    let text = AthenaProject.format(groups: [group], date: Date(timeIntervalSince1970: 0))
    let back = try AthenaProject.parse(AthenaProject.decodedLines(Data(text.utf8), file: "w.prj"))[0]
    // Demeter's 125 keys of a saved mu(E) group, plus datatype, is_chi/is_xanes/is_xmudat, group,
    // fft_kw and the element keys.
    #expect(back.args.count >= 125)
    #expect(back.args["bkg_nnorm"] == "3")  // EXAFSKit's quadratic (degree 2) as Demeter's 3 terms
    #expect(back.args["bkg_eshift"] == "0")
    #expect(back.args["bkg_fixstep"] == "0")
    #expect(back.args["fft_kwindow"] == "hanning")
    #expect(back.args["recordtype"] == "mu(E)")
    #expect(back.args["pre_edge_convention"] == nil)
    // Read back as a spectrum, the same parameters come out.
    let stored = AthenaParameters.interpret(back.args, backend: .larch)
    #expect(stored.values["nnorm"] == "2")
    #expect(stored.values["e0"] == group.args["bkg_e0"])
  }

  /// Larch 2026.3.1 reads our project with our numbers (energies and mu to the last bit, E0,
  /// step, nnorm terms), writes it again, and our reader gets the same energies and mu back.
  @Test(.enabled(if: IOTestSupport.larchAvailable, "needs python3 with xraylarch"))
  func roundTripThroughLarch() throws {
    let group = try Self.processedGroup()
    let dir = try IOTestSupport.temporaryDirectory()
    let ours = dir + "/ours.prj", theirs = dir + "/larch.prj"
    try AtomicWriter.write(try AthenaProject.write(groups: [group]), to: ours)
    let script = """
      from larch.io import read_athena, AthenaProject
      p = read_athena('\(ours)', do_preedge=False, do_bkg=False, do_fft=False)
      out = AthenaProject('\(theirs)')
      for name, g in p.groups.items():
          b = g.athena_params.bkg
          print(name, len(g.energy), repr(float(b.e0)), repr(float(b.step)), int(b.nnorm), repr(float(b.pre1)))
          print(' '.join(repr(float(v)) for v in g.energy))
          print(' '.join(repr(float(v)) for v in g.mu))
          out.add_group(g)
      out.save()
      """
    let lines = try IOTestSupport.runPython(script).split(separator: "\n").map(String.init)
    #expect(lines.count == 3)
    let head = lines[0].split(separator: " ").map(String.init)
    #expect(head[0] == "cu_metal_rt")
    #expect(Int(head[1]) == group.x.count)
    #expect(Double(head[2]) == Double(group.args["bkg_e0"] ?? ""))
    #expect(Double(head[3]) == Double(group.args["bkg_step"] ?? ""))
    #expect(head[4] == "3")
    #expect(Double(head[5]) == Double(group.args["bkg_pre1"] ?? ""))
    #expect(lines[1].split(separator: " ").compactMap { Double($0) } == group.x)
    #expect(lines[2].split(separator: " ").compactMap { Double($0) } == group.y)
    let back = try AthenaProject.read(path: theirs)
    #expect(back.count == 1)
    #expect(back[0].label == "cu_metal_rt")
    #expect(back[0].x == group.x)
    #expect(back[0].y == group.y)
    #expect(back[0].processedWith == .larch)
    // Larch re-normalizes on saving and writes its own polynomial degree as bkg_nnorm (2 here),
    // where Demeter means terms: documented in Docs/formats.md.
    #expect(Double(back[0].args["bkg_e0"] ?? "") == Double(group.args["bkg_e0"] ?? ""))
  }
}
