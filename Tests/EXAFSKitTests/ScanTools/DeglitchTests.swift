// Deglitching and truncating real scans: injected spikes are found exactly, clean scans are left alone.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct ScanToolDeglitchTests {
  static var automatic: DeglitchParameters {
    var p = DeglitchParameters()
    p.automatic = true
    return p
  }

  @Test(arguments: ScanToolsTestData.tungstenFiles)
  func cleanTungstenScanLosesNothing(file: String) throws {
    let scan = try ScanToolsTestData.scan(file)
    let result = try deglitch(scan, parameters: Self.automatic)
    #expect(result.removed.isEmpty, "\(result.removed)")
    #expect(result.spectrum == scan)
  }

  /// Spikes in every region of W_metal_rt_02: (point index, added to mu). The local noise
  /// (1.4826 MAD of the leave-one-out residuals) is ~2.5e-4 in the pre-edge, ~5e-4 just above the
  /// edge and ~2e-3 in the EXAFS region, so each spike is roughly 15-40 times the noise there and
  /// 0.5-2% of the edge step (~2.1).
  static let spikes: [(Int, Double)] = [(10, 0.01), (60, 0.01), (200, -0.02), (300, 0.03), (420, -0.04)]

  @Test(arguments: spikes)
  func injectedSpikeIsRemovedExactly(index: Int, size: Double) throws {
    var scan = try ScanToolsTestData.scan("W_metal_rt_02.xdi")
    scan.mu[index] += size
    let result = try deglitch(scan, parameters: Self.automatic)
    #expect(result.removed.map(\.energy) == [scan.energy[index]])
    #expect(result.removed.first?.mu == scan.mu[index])
    #expect((result.removed.first?.score ?? 0) * size > 0)
    #expect(result.spectrum.energy.count == scan.energy.count - 1)
    #expect(!result.spectrum.energy.contains(scan.energy[index]))
  }

  @Test func copperScanFlagsItsPreEdgeGlitches() throws {
    // cu_metal_rt.xdi has a 10 eV pre-edge grid with three points off the smooth trend by
    // 6e-3 to 1.2e-2 (the first point, 8839 and 8909 eV; see Docs/scan-tools.md). They are the only ones.
    let scan = try ScanToolsTestData.scan("cu_metal_rt.xdi")
    let result = try deglitch(scan, parameters: Self.automatic)
    #expect(result.removed.map(\.energy) == [8779, 8839, 8909])
  }

  @Test func rangesAreRemovedAndReported() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    var p = DeglitchParameters()
    p.remove = [try EnergyRange(parsing: "10300:10320"), try EnergyRange(parsing: "10057")]
    let result = try deglitch(scan, parameters: p)
    let expected = scan.energy.filter { ($0 >= 10300 && $0 <= 10320) || $0 == 10057 }
    #expect(expected.count > 3)
    #expect(result.removed.map(\.energy) == expected)
    #expect(result.removed.allSatisfy { $0.score == nil })
    #expect(result.spectrum.energy == scan.energy.filter { !expected.contains($0) })
  }

  @Test func energyRangesParseEitherOrder() throws {
    #expect(try EnergyRange(parsing: "10356.5:10350") == EnergyRange(10350, 10356.5))
    #expect(try EnergyRange(parsing: " 9000 : 9010 ").contains(9005))
    for bad in ["abc", "1:2:3", "1:", ":", "nan:3"] {
      #expect(throws: EXAFSError.self) { try EnergyRange(parsing: bad) }
    }
  }

  @Test func truncationKeepsTheClosedRange() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    let cut = try scan.truncated(emin: 10100, emax: 11000)
    #expect(cut.energy == scan.energy.filter { $0 >= 10100 && $0 <= 11000 })
    #expect(cut.mu.count == cut.energy.count)
    #expect(cut.notes.last?.contains("truncated") == true)
    #expect(try scan.truncated() == scan)
    #expect(throws: EXAFSError.self) { try scan.truncated(emin: 11000, emax: 10100) }
    #expect(throws: EXAFSError.self) { try scan.truncated(emin: 11300) }
  }

  @Test func deglitchRefusesToLeaveTooFewPoints() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    var p = DeglitchParameters()
    p.remove = [try EnergyRange(10000, 11300)]
    #expect(throws: EXAFSError.self) { try deglitch(scan, parameters: p) }
    p = DeglitchParameters()
    p.sigma = 1
    #expect(throws: EXAFSError.self) { try deglitch(scan, parameters: p) }
  }
}
