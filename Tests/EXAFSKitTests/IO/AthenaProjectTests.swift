// Tests of the Athena project reader and writer: a Larch project, hostile lines, round trips, Larch reading ours.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOAthenaProjectTests {
  static let header = "# Athena project file -- Demeter version 0.9.26\n# test\n\n"

  func parse(_ body: String) throws -> [AthenaGroup] {
    try AthenaProject.parse(AthenaProject.decodedLines(Data((Self.header + body).utf8), file: "t.prj"))
  }

  static func group(_ key: String, _ label: String, extra: String = "") -> String {
    "$old_group = '\(key)';\n@args = ('label','\(label)','bkg_e0','8979.5'\(extra));\n"
      + "@x = ('8900','8905.5',8911);\n@y = ('0.1','0.2','0.3');\n[record] = 1;\n"
  }

  @Test func readsLarchWrittenProject() throws {
    let groups = try AthenaProject.read(path: IOTestSupport.fixture("W_metal_rt_scans.prj"))
    #expect(groups.map(\.label) == ["W_metal_rt_01", "W_metal_rt_02", "W_metal_rt_03"])
    #expect(groups[0].oldGroup == "safbr")
    #expect(groups[0].datatype == "xmu")
    #expect(groups[0].x.count == 530)
    #expect(groups[0].x.first == 10057.0)
    #expect(groups[0].y.first == -0.7035083791016118)
    #expect(groups[0].i0?.first == 79826.7)
    #expect(groups[0].signal?.count == 530)
    #expect(groups[0].args["bkg_e0"] == "10205.0")
    #expect(groups[0].args["atsym"] == "W")
  }

  @Test func parsesQuotingEscapesAndNesting() throws {
    let extra =
      ",'note','it\\'s a \\\\ test','titles',['a','b'],\"dq\",\"x\\ty \\x{e4} $HOME\",'u',undef,'h'=>{'k'=>'v'}"
    let groups = try parse(Self.group("abcde", "Cu foil", extra: extra))
    #expect(groups.count == 1)
    let args = groups[0].args
    #expect(args["note"] == "it's a \\ test")
    #expect(args["titles"] == "a, b")
    #expect(args["dq"] == "x\ty ä $HOME")
    #expect(args["u"] == "")
    #expect(args["h"] == "k, v")
    #expect(groups[0].x == [8900, 8905.5, 8911])
    #expect(groups[0].label == "Cu foil")
  }

  @Test func labelFallsBackToOldGroup() throws {
    let groups = try parse("$old_group = 'qwert';\n@args = ();\n@x = (1,2);\n@y = (3,4);\n[record] # \n1;\n")
    #expect(groups[0].label == "qwert")
  }

  @Test func unbalancedQuoteNamesLineAndColumn() throws {
    let body = "$old_group = 'abcde';\n@args = ('label','Cu foil);\n"
    let error = #expect(throws: EXAFSError.self) { try parse(body) }
    guard case .malformed(let loc, let message) = error else {
      Issue.record("expected .malformed, got \(String(describing: error))")
      return
    }
    #expect(loc == SourceLocation(file: "t.prj", line: 5, column: 18))
    #expect(message.contains("unbalanced quote"))
  }

  @Test func codeInsideStringsIsJustData() throws {
    let marker = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-pwned-\(UUID().uuidString)").path
    let extra = ",'cmd','system(\"touch \(marker)\")','tick','`touch \(marker)`','ev','eval { rm -rf / }'"
    let groups = try parse(Self.group("abcde", "evil", extra: extra))
    #expect(groups[0].args["cmd"] == "system(\"touch \(marker)\")")
    #expect(groups[0].args["tick"] == "`touch \(marker)`")
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test(arguments: [
    ("system(\"rm -rf /\");", 1),
    ("@x = (`rm -rf /`);", 7),
    ("@x = (system(\"rm -rf /\"));", 13),
    ("@args = ('a','b'); system('ls');", 20),
    ("$old_group = 'a' . `id`;", 18),
    ("eval { 1 };", 1),
    ("@x = ('1',eval('2'));", 15),
  ])
  func codeOutsideStringsIsMalformed(line: String, column: Int) throws {
    let error = #expect(throws: EXAFSError.self) { try parse(line + "\n") }
    guard case .malformed(let loc, _) = error else {
      Issue.record("expected .malformed for \(line), got \(String(describing: error))")
      return
    }
    #expect(loc.line == 4)
    #expect(loc.column == column)
  }

  @Test func athenaStateLinesThatAreNotDataAreSkipped() throws {
    let state =
      "$xdi = {\\n  'Element' => {\\n 'symbol' => 'Cu'}};\n%plot_features = bless( {}, 'Foo' );\n"
      + "$x = 'a'; system('ls');\n@indicator = ([1,'E',8979]);\n"
    let groups = try parse(state + Self.group("abcde", "Cu"))
    #expect(groups.count == 1)
    #expect(groups[0].x.count == 3)
  }

  @Test func mismatchedArraysAndBadNumbers() throws {
    let short = "$old_group = 'a';\n@args = ('label','s');\n@x = (1,2,3);\n@y = (1,2);\n[record]\n"
    let error = #expect(throws: EXAFSError.self) { try parse(short) }
    #expect(error?.description.contains("has 3 @x values but 2 @y values") == true)
    let word = "@x = ('1','two');\n"
    let bad = #expect(throws: EXAFSError.self) { try parse(word) }
    #expect(bad?.location == SourceLocation(file: "t.prj", line: 4, column: 11))
  }

  @Test func oversizedArrayIsTooLarge() throws {
    var parser = PerlLineParser(line: TextLine(number: 7, text: "@x = (1,2,3,4,5);"), file: "t.prj", maxItems: 4)
    let error = #expect(throws: EXAFSError.self) { try parser.parseStatement() }
    guard case .tooLarge(let loc, _) = error else {
      Issue.record("expected .tooLarge, got \(String(describing: error))")
      return
    }
    #expect(loc.line == 7)
  }

  static func sampleGroups() -> [AthenaGroup] {
    let e = (0..<40).map { 8900 + 2.5 * Double($0) + 0.001 }
    return [
      AthenaGroup(
        label: "Cu foil 'ref' / scan 1", args: ["bkg_e0": "8979.0", "bkg_rbkg": "1.1"], x: e,
        y: e.map { 0.5 + atan(($0 - 8979) / 3) / .pi + 1e-7 * $0 }, i0: e.map { 1e5 + $0 }),
      AthenaGroup(
        label: "chi data", x: (0..<40).map { 0.05 * Double($0) }, y: (0..<40).map { 1e-3 * sin(Double($0)) },
        datatype: "chi"),
    ]
  }

  @Test func writeThenReadGivesTheSameData() throws {
    let written = Self.sampleGroups()
    let data = try AthenaProject.write(groups: written, date: Date(timeIntervalSince1970: 0))
    #expect(Gzip.isGzip(data))
    let path = try IOTestSupport.write(data, name: "roundtrip.prj")
    let read = try AthenaProject.read(path: path)
    #expect(read.count == 2)
    for (a, b) in zip(written, read) {
      #expect(a.label == b.label)
      #expect(a.x == b.x)
      #expect(a.y == b.y)
      #expect(a.i0 == b.i0)
      #expect(a.datatype == b.datatype)
      #expect(b.args["bkg_e0"] == a.args["bkg_e0"])
    }
    #expect(read[0].oldGroup != read[1].oldGroup)
    let text = AthenaProject.format(groups: written, date: Date(timeIntervalSince1970: 0))
    #expect(
      text.hasPrefix("# Athena project file -- Demeter version 0.9.26\n# This file created at 1970-01-01T00:00:00Z\n"))
    #expect(text.contains("\n1;\n"))
  }

  @Test func groupFromSpectrumCarriesElementAndParameters() throws {
    let inputs = try SpectrumReader.read(path: IOTestSupport.fixture("cu_metal_rt.xdi"))
    guard case .mu(let spectrum) = inputs.first else {
      Issue.record("expected mu(E)")
      return
    }
    let group = AthenaGroup(spectrum: spectrum)
    #expect(group.label == "cu_metal_rt")
    #expect(group.args["atsym"] == "Cu")
    #expect(group.args["edge"] == "K")
    #expect(group.x.count == 408)
    #expect(group.datatype == "xmu")
  }

  @Test func projectDetectionNeedsAProjectHeader() {
    #expect(AthenaProject.looksLikeProject("# Athena project file -- Demeter version 0.9.26\n"))
    #expect(AthenaProject.looksLikeProject("\n$old_group = 'abc';\n"))
    #expect(!AthenaProject.looksLikeProject("# Cu foil, from my Athena project file cu.prj\n# e mu\n1 2\n"))
  }

  @Test(.enabled(if: IOTestSupport.larchAvailable, "needs python3 with xraylarch"))
  func larchReadsWhatWeWrite() throws {
    let path = try IOTestSupport.write(try AthenaProject.write(groups: Self.sampleGroups()), name: "forlarch.prj")
    let script = """
      from larch.io import read_athena
      p = read_athena('\(path)', do_preedge=False)
      for name, g in p.groups.items():
          x = getattr(g, 'energy', getattr(g, 'k', None))
          print(name, len(x), repr(float(x[0])), repr(float(x[-1])), getattr(g, 'label', ''))
      """
    let lines = try IOTestSupport.runPython(script).split(separator: "\n")
    #expect(lines.count == 2)
    let e = Self.sampleGroups()[0].x
    #expect(lines.first == "Cu_foil_ref_scan_1 40 \(e[0]) \(e[39]) Cu foil 'ref' / scan 1")
    #expect(lines.last?.hasPrefix("chi_data 40 0.0 1.9500000000000002") == true)
  }
}
