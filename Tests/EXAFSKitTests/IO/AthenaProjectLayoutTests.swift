// Tests of reading every Athena project layout: one bad group failing alone, odd side arrays,
// the JSON layout, datatypes skipped with a note, the twelve real projects read completely.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct AthenaProjectLayoutTests {
  static let header = "# Athena project file -- Demeter version 0.9.26\n# Using Larch\n\n"

  static func group(_ key: String, _ label: String, args: String = "", arrays: String? = nil) -> String {
    let e = (0..<30).map { String(8900 + 10 * $0) }.joined(separator: ",")
    let mu = (0..<30).map { $0 < 10 ? "0.1" : "1.\($0)" }.joined(separator: ",")
    return "$old_group = '\(key)';\n@args = ('label','\(label)'\(args));\n"
      + (arrays ?? "@x = (\(e));\n@y = (\(mu));\n") + "[record]\n"
  }

  static func entries(_ text: String, file: String = "t.prj") throws -> [Result<AthenaGroup, AthenaGroupFailure>] {
    try AthenaProject.parseEntries(AthenaProject.decodedLines(Data(text.utf8), file: file))
  }

  @Test func oneBadGroupFailsAloneWithItsLabel() throws {
    let bad = "@x = (1,2,3);\n@y = (1,oops,3);\n"
    let path = try IOTestSupport.write(
      Self.header + Self.group("aaaaa", "good one") + Self.group("bbbbb", "bad one", arrays: bad)
        + Self.group("ccccc", "good two"), name: "two-good.prj")
    let entries = try SpectrumReader.readEach(path: path)
    #expect(entries.count == 3)
    guard case .failure(let failure) = entries[1] else {
      Issue.record("the bad group should fail")
      return
    }
    #expect(failure.label == "bad one")
    #expect(failure.description.contains("group 'bad one'"))
    #expect(failure.description.hasPrefix("\(path):"))
    #expect((try? entries[0].get()) != nil && (try? entries[2].get()) != nil)
    // `read` keeps the good groups and notes the bad one on each.
    let read = try SpectrumReader.read(path: path)
    #expect(read.map(\.name) == ["good_one", "good_two"])
    guard case .mu(let first) = read[0] else { return }
    #expect(first.notes.contains { $0.hasPrefix("not read:") && $0.contains("bad one") })
  }

  @Test func oddSideArraysAreDroppedWithANote() throws {
    let e = (0..<30).map { String(8900 + 10 * $0) }.joined(separator: ",")
    let arrays = "@x = (\(e));\n@y = (\(e));\n@i0 = (1,2,3);\n@stddev = (\(Array(repeating: "inf", count: 30).joined(separator: ",")));\n"
    let entries = try Self.entries(Self.header + Self.group("aaaaa", "odd", arrays: arrays))
    let group = try entries[0].get()
    #expect(group.x.count == 30)
    #expect(group.i0 == nil)
    #expect(group.stddev == nil)
    #expect(group.notes == ["@i0 dropped: 3 values beside 30 @x values", "@stddev dropped: it holds NaN or infinite values"])
  }

  @Test func jsonLayoutIsRead() throws {
    let e = (0..<30).map { "\"\(8900 + 10 * $0)\"" }.joined(separator: ",")
    let text = """
      {"_____header1": "# Athena project file -- Demeter version 0.9.26",
      "_____header2": "# Using Demeter 0.9.26 with perl 5.024000 and using Ifeffit 1.2.12",
      "zzzzz": {"args": {"label": "second", "bkg_nnorm": 2, "titles": []}, "x": [\(e)], "y": [\(e)], "stddev": [null]},
      "aaaaa": {"args": {"label": "first", "bkg_e0": "8990"}, "x": [\(e)], "y": [\(e)], "i0": [\(e)]},
      "_____order": ["aaaaa", "zzzzz"], "_____journal": []}
      """
    let groups = try Self.entries(text).map { try $0.get() }
    #expect(groups.map(\.label) == ["first", "second"])
    #expect(groups[0].oldGroup == "aaaaa")
    #expect(groups[0].args["bkg_e0"] == "8990")
    #expect(groups[0].i0?.count == 30)
    #expect(groups[1].args["bkg_nnorm"] == "2")
    #expect(groups[1].stddev == nil)
    #expect(groups[1].notes.first?.hasPrefix("stddev dropped") == true)
    #expect(groups.allSatisfy { $0.processedWith == .ifeffit })
  }

  @Test func detectorAndDifferenceGroupsAreSkippedWithANote() throws {
    let path = try IOTestSupport.write(
      Self.header + Self.group("aaaaa", "mu") + Self.group("bbbbb", "diff", args: ",'is_diff','1'")
        + Self.group("ccccc", "det", args: ",'is_pixel',1") + Self.group("ddddd", "nor", args: ",'is_nor',1"),
      name: "types.prj")
    let read = try SpectrumReader.read(path: path)
    #expect(read.map(\.name) == ["mu", "nor"])
    guard case .mu(let mu) = read[0], case .mu(let nor) = read[1] else { return }
    #expect(mu.notes.contains("group 'diff' skipped: it is a difference spectrum, which has no absorption edge to normalize"))
    #expect(mu.notes.contains { $0.hasPrefix("group 'det' skipped: it is a detector") })
    #expect(nor.notes.contains { $0.contains("already normalized (is_nor)") })
  }

  /// All twelve shared projects read completely: 167 groups, no failure at reading (the one group
  /// without a visible edge fails later, in normalization).
  @Test(.enabled(if: RealData.available, RealData.absent))
  func theTwelveRealProjectsReadCompletely() throws {
    var groups = 0
    for path in RealData.files("athena-projects", suffix: ".prj") {
      for entry in try SpectrumReader.readEach(path: path) {
        if case .failure(let f) = entry { Issue.record("\(path): \(f)") }
        groups += 1
      }
    }
    #expect(groups == 167)
  }
}
