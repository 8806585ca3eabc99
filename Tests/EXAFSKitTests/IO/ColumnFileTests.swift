// Tests of the plain column-file reader: header names, separators, and errors with line and column.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOColumnFileTests {
  func table(_ text: String, name: String = "t.dat") throws -> ColumnTable {
    try ColumnFile.parse(TextLines.decode(Data(text.utf8), file: name))
  }

  @Test func namesFromLastCommentLine() throws {
    let t = try table("# Cu foil\n# E0 = 8979\n#  energy  i0  it\n8900 1e5 5e4\n8905 1.1e5 5.1e4\n")
    #expect(t.names == ["energy", "i0", "it"])
    #expect(t.rowCount == 2)
    #expect(t.columns[1] == [1e5, 1.1e5])
    #expect(t.header == ["Cu foil", "E0 = 8979", "energy  i0  it"])
    #expect(t.metadata["E0"] == "8979")
    #expect(t.lineNumbers == [4, 5])
  }

  @Test func semicolonAndBangComments() throws {
    let t = try table("; energy xmu\n! measured at 13-ID\n1 2\n3 4\n")
    #expect(t.names == ["col1", "col2"])  // the last comment line has 3 words
    #expect(t.notes.count == 1)
    let u = try table("! measured at 13-ID\n; energy xmu\n1 2\n3 4\n")
    #expect(u.names == ["energy", "xmu"])
  }

  @Test func namesFromColumnFields() throws {
    let t = try table("# Column.1: energy eV\n# Column.2: mu\n# ---\n1 2\n3 4\n")
    #expect(t.names == ["energy", "mu"])
  }

  @Test func namesFromTextFirstLineAndCommas() throws {
    let t = try table("\"Energy\",\"I0\",\"It\"\n8900,100,50\n8901, 101 ,51\n")
    #expect(t.names == ["Energy", "I0", "It"])
    #expect(t.columns[2] == [50, 51])
  }

  @Test func duplicateNamesAreMadeUnique() throws {
    let t = try table("# e mu mu\n1 2 3\n")
    #expect(t.names == ["e", "mu", "mu_2"])
  }

  @Test func fortranExponentsAreRead() throws {
    let t = try table("1.0D+03 2.5d-1\n")
    #expect(t.columns == [[1000], [0.25]])
  }

  @Test func tooFewValuesNamesLineAndColumn() throws {
    let text = "# energy i0 it\n8900 100 50\n8905 100 50\n8910 100\n8915 100 50\n"
    let error = #expect(throws: EXAFSError.self) { try table(text) }
    #expect(
      error
        == .malformed(
          SourceLocation(file: "t.dat", line: 4, column: 9),
          "expected 3 values on each data line (as on line 2) but line 4 has 2"))
  }

  @Test func tooManyValuesPointsAtTheExtraValue() throws {
    let text = "# energy i0 it\n8900 100 50\n  8905  100  50  7\n"
    let error = #expect(throws: EXAFSError.self) { try table(text) }
    #expect(error?.location == SourceLocation(file: "t.dat", line: 3, column: 18))
  }

  @Test func textAmongNumbersNamesLineAndColumn() throws {
    let text = "# energy mu\n8900 0.1\n8905\tabc\n"
    let error = #expect(throws: EXAFSError.self) { try table(text) }
    #expect(
      error
        == .malformed(
          SourceLocation(file: "t.dat", line: 3, column: 6), "expected a number in data column 2 of 2 but found 'abc'"))
  }

  @Test func nanAndInfinityAreRejected() throws {
    for (bad, column) in [("nan", 6), ("inf", 6), ("-Infinity", 6)] {
      let error = #expect(throws: EXAFSError.self) { try table("# e mu\n8900 0.1\n8905 \(bad)\n") }
      #expect(error?.location == SourceLocation(file: "t.dat", line: 3, column: column))
      #expect(error?.description.contains("not a finite number") == true)
    }
  }

  @Test func emptyFileIsMalformed() throws {
    let error = #expect(throws: EXAFSError.self) { try table("") }
    #expect(error == .malformed(SourceLocation(file: "t.dat"), "the file is empty; expected columns of numbers"))
    let blank = #expect(throws: EXAFSError.self) { try table("\n  \n") }
    #expect(blank == error)
  }

  @Test func headerWithoutDataIsUnusable() throws {
    let error = #expect(throws: EXAFSError.self) { try table("# one\n# two\n# energy mu\n") }
    guard case .unusableData(_, let message) = error else {
      Issue.record("expected .unusableData, got \(String(describing: error))")
      return
    }
    #expect(message.contains("3 header lines but no data rows"))
  }

  @Test func commentsBetweenRowsAreSkipped() throws {
    let t = try table("# e mu\n1 2\n# pause\n3 4\n")
    #expect(t.columns == [[1, 3], [2, 4]])
    #expect(t.lineNumbers == [2, 4])
  }

  @Test func columnIndexLookup() throws {
    let t = try table("# Energy I0 It\n1 2 3\n")
    #expect(t.columnIndex("energy") == 0)
    #expect(t.columnIndex("$3") == 2)
    #expect(t.columnIndex("col2") == 1)
    #expect(t.columnIndex("mu") == nil)
  }
}
