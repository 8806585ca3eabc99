// Tests of the XDI 1.0 reader on a real file (Cu foil, APS 13-ID) and on broken headers.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOXDIFileTests {
  func table(_ text: String) throws -> ColumnTable {
    try XDIFile.parse(TextLines.decode(Data(text.utf8), file: "t.xdi"))
  }

  @Test func readsCopperFoil() throws {
    let t = try XDIFile.read(path: IOTestSupport.fixture("cu_metal_rt.xdi"))
    #expect(t.names == ["energy", "i0", "itrans", "mutrans"])
    #expect(t.rowCount == 408)
    #expect(t.columns[0].first == 8779.0)
    #expect(t.columns[0].last == 10145.86)
    #expect(t.columns[3].first == -1.3070486)
    #expect(t.lineNumbers.first == 29)
    #expect(t.metadata["Element.symbol"] == "Cu")
    #expect(t.metadata["Element.edge"] == "K")
    #expect(t.metadata["Mono.d_spacing"] == "3.13553")
    #expect(t.metadata["Sample.name"] == "Cu")
    #expect(t.metadataValue("element.SYMBOL") == "Cu")
    #expect(t.header.contains("Cu foil Room Temperature"))
    #expect(t.notes.isEmpty)
  }

  static let body =
    "#----\n# energy i0 itrans mutrans\n8779.0 149013.7 550643.1 -1.307\n8789.0 144864.7 531876.1 -1.300\n"

  @Test func missingColumnFieldIsAnErrorWithoutLabels() throws {
    let text =
      "# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n# Column.4: mutrans\n# Element.symbol: Cu\n"
      + "# ///\n#----\n8779.0 1 2 3\n"
    let error = #expect(throws: EXAFSError.self) { try table(text) }
    guard case .malformed(let loc, let message) = error else {
      Issue.record("expected .malformed, got \(String(describing: error))")
      return
    }
    #expect(loc.line == 2)
    #expect(message.contains("defines Column.1, Column.2, Column.4 but not Column.3"))
  }

  @Test func missingColumnFieldFallsBackToTheLabelLine() throws {
    let text = "# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n# Column.4: mutrans\n# ///\n" + Self.body
    let t = try table(text)
    #expect(t.names == ["energy", "i0", "itrans", "mutrans"])
    #expect(t.notes.count == 1)
    #expect(t.notes[0].contains("label line"))
  }

  @Test func fewerColumnFieldsNameTheRestColN() throws {
    let text = "# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n# ///\n#----\n8779.0 1 2\n8780.0 1 2\n"
    let t = try table(text)
    #expect(t.names == ["energy", "i0", "col3"])
    #expect(t.notes.first?.contains("col3") == true)
  }

  @Test func moreColumnFieldsThanDataIsAnError() throws {
    let text = "# XDI/1.0\n# Column.1: energy\n# Column.2: i0\n# Column.3: it\n# ///\n#----\n8779.0 1\n"
    let error = #expect(throws: EXAFSError.self) { try table(text) }
    #expect(error?.description.contains("defines Column.3 but the data rows have only 2 values") == true)
  }

  @Test func noColumnFieldsAtAll() throws {
    let error = #expect(throws: EXAFSError.self) { try table("# XDI/1.0\n# ///\n#----\n1 2\n") }
    #expect(error?.description.contains("no 'Column.N: name' fields") == true)
  }

  @Test func headerWithoutData() throws {
    let error = #expect(throws: EXAFSError.self) { try table("# XDI/1.0\n# Column.1: energy\n# ///\n#----\n") }
    guard case .unusableData = error else {
      Issue.record("expected .unusableData, got \(String(describing: error))")
      return
    }
  }

  @Test func badNumberInXDIDataNamesLineAndColumn() throws {
    let text = "# XDI/1.0\n# Column.1: energy\n# Column.2: mu\n# ///\n#----\n8779.0 1.0\n8780.0 1.0x\n"
    let error = #expect(throws: EXAFSError.self) { try table(text) }
    #expect(error?.location == SourceLocation(file: "t.xdi", line: 7, column: 8))
  }
}
