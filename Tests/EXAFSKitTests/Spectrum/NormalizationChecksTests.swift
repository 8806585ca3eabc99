// Warnings for inverted mu(E) and for spectra of different absorption edges.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct NormalizationChecksTests {
  static func copper(mu: String) throws -> XASSpectrum {
    let path = MixtureTestData.root.appendingPathComponent("SampleSpectra/cu_metal_rt.xdi").path
    guard case .mu(let s) = try #require(try SpectrumReader.read(path: path, options: ReadOptions(mu: mu)).first) else {
      throw EXAFSError.unusableData(SourceLocation(file: path), "not mu(E)")
    }
    return s
  }

  @Test func invertedCopperIsFlagged() throws {
    let warnings = normalizationWarnings(try normalize(try Self.copper(mu: "ln(itrans/i0)")))
    #expect(warnings.contains { $0.contains("far below 1") }, "\(warnings)")
  }

  @Test func copperTheRightWayRoundIsNot() throws {
    #expect(normalizationWarnings(try normalize(try Self.copper(mu: "ln(i0/itrans)"))).isEmpty)
  }

  @Test func edgesHundredsOfEVApartAreFlagged() {
    #expect(edgeMismatchWarning(reference: "Cu", referenceE0: 8979, other: "Ta", otherE0: 9881) != nil)
    #expect(edgeMismatchWarning(reference: "Ta2O5", referenceE0: 9881, other: "Ta", otherE0: 9883.5) == nil)
  }
}
