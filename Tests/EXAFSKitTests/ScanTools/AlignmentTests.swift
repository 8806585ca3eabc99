// Energy alignment of the repeated W L3 scans: known shifts are recovered, real scans need almost none.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct ScanToolAlignmentTests {
  @Test func shiftedEnergyAxisIsRecovered() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let natural = try energyAlignment(of: scans[1], to: scans[0]).eshift
    for known in [1.7, -3.25, 0.4] {
      let moved = scans[1].shifted(by: known)
      let found = try energyAlignment(of: moved, to: scans[0]).eshift
      // Tolerance 0.05 eV (the brief): a fifth of the 0.25 eV step of the edge region.
      #expect(abs((found - natural) + known) < 0.05, "shift \(known): found \(found), natural \(natural)")
    }
  }

  @Test func shiftedSpectrumOnTheSameGridIsRecovered() throws {
    // mu(E - 1.7) resampled onto the scan's own energies: the grid stays, the edge moves up 1.7 eV.
    let scan = try ScanToolsTestData.scan("W_metal_rt_02.xdi")
    var moved = scan
    moved.mu = linearInterpolate(x: scan.energy, y: scan.mu, at: scan.energy.map { $0 - 1.7 })
    let alignment = try energyAlignment(of: moved, to: scan)
    #expect(abs(alignment.eshift + 1.7) < 0.05, "eshift \(alignment.eshift)")
    #expect(abs(alignment.scale - 1) < 0.05)
    #expect(alignment.relativeMisfit < 0.1)
  }

  @Test func repeatedTungstenScansAreAlreadyAligned() throws {
    let aligned = try alignScans(ScanToolsTestData.tungstenScans())
    #expect(aligned.alignments.count == 3)
    #expect(aligned.alignments[0].eshift == 0)
    // The three scans were taken on one beamline within 5 hours; drift well under 0.25 eV (one step).
    for a in aligned.alignments.dropFirst() {
      #expect(abs(a.eshift) < 0.25, "eshift \(a.eshift)")
      #expect(abs(a.scale - 1) < 0.02)
      #expect(abs(a.e0 - 10205) < 1)
    }
    let original = try ScanToolsTestData.scan("W_metal_rt_03.xdi")
    let shift = aligned.alignments[2].eshift
    #expect(zip(aligned.scans[2].energy, original.energy).allSatisfy { abs($0 - $1 - shift) < 1e-9 })
  }

  @Test func referenceChannelsDecideTheShift() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    // The "reference channel" of the second scan is displaced by 2 eV; its data are not.
    let references = [scans[0], scans[1].shifted(by: 2)]
    let aligned = try alignScans([scans[0], scans[1]], references: references)
    let natural = try energyAlignment(of: scans[1], to: scans[0]).eshift
    #expect(abs(aligned.alignments[1].eshift - (natural - 2)) < 0.05)
    #expect(throws: EXAFSError.self) { try alignScans(scans, references: [scans[0]]) }
  }

  @Test func badWindowIsAParameterError() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_01.xdi")
    var p = AlignmentParameters()
    p.emin = 10
    p.emax = -10
    #expect(throws: EXAFSError.self) { try energyAlignment(of: scan, to: scan, parameters: p) }
    p = AlignmentParameters()
    p.e0 = 20000  // window outside the data
    #expect(throws: EXAFSError.self) { try energyAlignment(of: scan, to: scan, parameters: p) }
  }
}
