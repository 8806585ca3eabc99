// Tests of atomic writes and the column-file text format (read back by our reader and by numpy when present).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOOutputWriterTests {
  @Test func atomicWriteReplacesAndLeavesNoTemporary() throws {
    let directory = try IOTestSupport.temporaryDirectory()
    let path = directory + "/out.nor"
    try AtomicWriter.write("first\n", to: path)
    try AtomicWriter.write(Data("second\n".utf8), to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.nor"])
  }

  @Test func atomicWriteIntoMissingDirectoryFails() throws {
    let path = try IOTestSupport.temporaryDirectory() + "/no/such/dir/out.nor"
    let error = #expect(throws: EXAFSError.self) { try AtomicWriter.write("x", to: path) }
    guard case .writeFailed(let failed, let reason) = error else {
      Issue.record("expected .writeFailed, got \(String(describing: error))")
      return
    }
    #expect(failed == path)
    #expect(reason.contains("does not exist"))
  }

  @Test func atomicWriteOverADirectoryFailsAndCleansUp() throws {
    let directory = try IOTestSupport.temporaryDirectory()
    let target = directory + "/occupied"
    try FileManager.default.createDirectory(atPath: target + "/inside", withIntermediateDirectories: true)
    let error = #expect(throws: EXAFSError.self) { try AtomicWriter.write("x", to: target) }
    guard case .writeFailed = error else {
      Issue.record("expected .writeFailed, got \(String(describing: error))")
      return
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["occupied"])
  }

  @Test func columnFormatLayout() throws {
    let text = ColumnFileWriter.format(
      header: ["EXAFSKit test", "two\nlines"], names: ["energy", "mu norm"],
      columns: [[8979, 8980.123456789012], [1e-12, -0.5]])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0] == "# EXAFSKit test")
    #expect(lines[1] == "# two")
    #expect(lines[2] == "# lines")
    #expect(
      lines[3] == "#" + String(repeating: " ", count: 12) + "energy" + String(repeating: " ", count: 11) + "mu_norm")
    #expect(lines[4] == "  " + String(repeating: " ", count: 13) + "8979" + String(repeating: " ", count: 13) + "1e-12")
    #expect(lines[5].split(separator: " ") == ["8980.123457", "-0.5"])
    #expect(lines[6] == "")
    #expect(lines.count == 7)
  }

  @Test func columnFormatReadsBack() throws {
    let e = (0..<50).map { 8900 + 1.37 * Double($0) }
    let mu = e.map { sin($0 / 7) * 1e-3 }
    let text = ColumnFileWriter.format(header: ["round trip"], names: ["energy", "mu"], columns: [e, mu])
    let table = try ColumnFile.parse(TextLines.decode(Data(text.utf8), file: "rt.dat"))
    #expect(table.names == ["energy", "mu"])
    // The comment lines: our title, then the column-name line the writer adds.
    #expect(table.header.count == 2 && table.header[0] == "round trip")
    #expect(table.header[1].split(separator: " ") == ["energy", "mu"])
    for i in e.indices {
      #expect(abs(table.columns[0][i] - e[i]) <= 1e-9 * e[i])
      #expect(abs(table.columns[1][i] - mu[i]) <= 1e-9 * abs(mu[i]) + 1e-300)
    }
  }

  /// The comment lines as the String-based writer made them (split by Character, names with
  /// whitespace Characters as `_`, right-aligned by Character count): the byte-level header of
  /// `formatData` must give the same text for awkward headers and names.
  @Test func headerBytesMatchCharacterBasedLayout() throws {
    let header = ["plain", "", "two\nlines", "trailing\n", "crlf\r\nkept\nsplit", "tab\there", "µ-XAS ✓"]
    let names = ["energy", "mu norm", "tab\tname", "µ (a.u.)", "e\u{301}t\u{A0}a", "a_very_long_column_name_here"]
    var expected = ""
    for line in header.flatMap({ $0.split(separator: "\n", omittingEmptySubsequences: false) }) {
      expected += line.isEmpty ? "#\n" : "# \(line)\n"
    }
    expected += "#"
    for name in names {
      let label = String(name.map { $0.isWhitespace ? "_" : $0 })
      expected += " " + String(repeating: " ", count: max(0, 17 - label.count)) + label
    }
    expected += "\n"
    let text = ColumnFileWriter.format(header: header, names: names, columns: names.map { _ in [1.5] })
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.dropLast(2).joined(separator: "\n") + "\n" == expected)
    #expect(text.hasPrefix("# plain\n#\n# two\n# lines\n# trailing\n#\n# crlf\r\nkept\n# split\n"))
    #expect(lines[lines.count - 3].hasSuffix("        e\u{301}t_a a_very_long_column_name_here"))
    // The value row: each field one wider than its label column.
    let widths = names.map { max(17, String($0).count) + 1 }
    #expect(lines[lines.count - 2] == " " + widths.map { String(repeating: " ", count: $0 - 3) + "1.5" }.joined())
  }

  @Test func nonFiniteAndRaggedColumnsAreWrittenAsNan() throws {
    let text = ColumnFileWriter.format(header: [], names: ["a", "b"], columns: [[1, .infinity, 3], [.nan]])
    let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
    #expect(rows == [["1", "nan"], ["inf", "nan"], ["3", "nan"]])
  }

  @Test(.enabled(if: IOTestSupport.numpyAvailable, "needs python3 with numpy (make test installs it with xraylarch)"))
  func numpyLoadsTheColumnFormat() throws {
    let text = ColumnFileWriter.format(
      header: ["h"], names: ["energy", "mu"], columns: [[8979, 8980.5], [0.25, 1e-7]])
    let path = try IOTestSupport.write(text, name: "np.dat")
    let out = try IOTestSupport.runPython(
      "import numpy; a = numpy.loadtxt('\(path)'); print(a.shape, a[1, 0], a[1, 1])")
    #expect(out == "(2, 2) 8980.5 1e-07\n")
  }
}
