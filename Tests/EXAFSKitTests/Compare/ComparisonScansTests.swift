// The spread of repeated scans and the judging of a change: hand-computed numbers, and "not estimable" never turned into infinite significance.
import Foundation
import Testing

@testable import EXAFSKit

struct ComparisonScansTests {
  /// Ratios 0.40, 0.42, 0.41, 0.43: mean 0.415, sd √(0.0005/3) = 0.012910, standard error 0.006455
  /// (by hand); uncertainties 0.002 each propagate to √(4 · 0.002²)/4 = 0.001.
  @Test func spreadOfFourScans() {
    let s = ScanSpread(values: [0.40, 0.42, 0.41, 0.43], uncertainties: [0.002, 0.002, 0.002, 0.002])
    #expect(s.count == 4)
    #expect(abs(s.mean - 0.415) < 1e-12)
    #expect(abs(s.standardDeviation! - 0.012909944) < 1e-8)
    #expect(abs(s.standardError! - 0.006454972) < 1e-8)
    #expect(abs(s.noiseUncertainty! - 0.001) < 1e-12)
    #expect(s.judged.basis == .scanSpread && s.judged.value == s.standardError)
  }

  @Test func oneScanHasNoSpread() {
    let s = ScanSpread(values: [0.3], uncertainties: [0.002])
    #expect(s.standardDeviation == nil && s.standardError == nil)
    #expect(s.judged.basis == .noise && s.judged.value == 0.002)
    #expect(ScanSpread(values: [0.3, 0.31], uncertainties: [0.002, nil]).noiseUncertainty == nil)
  }

  /// Change 0.415 → 0.300 with standard errors 0.006455 and 0.003: σ = 0.0071181, 16.156 σ.
  @Test func changeIsJudgedWithTheStandardErrors() {
    let ref = ScanSpread(values: [0.40, 0.42, 0.41, 0.43], uncertainties: [0.002, 0.002, 0.002, 0.002])
    let other = ScanSpread(values: [0.297, 0.303], uncertainties: [nil, nil])
    let c = JudgedChange(reference: ref, other: other)
    #expect(abs(c.change + 0.115) < 1e-12)
    #expect(c.basis == .scanSpread)
    #expect(abs(c.combinedUncertainty! - 0.0071181) < 1e-6)
    #expect(abs(c.inSigma! - 16.156) < 1e-3 && c.significant == true)
    // mixed: one scan on one side
    let single = JudgedChange(reference: ref, other: ScanSpread(values: [0.3], uncertainties: [0.004]))
    #expect(single.basis == .mixed)
    #expect(abs(single.combinedUncertainty! - (0.006454972 * 0.006454972 + 0.004 * 0.004).squareRoot()) < 1e-8)
  }

  /// An uncertainty that is not estimable or zero leaves the significance empty, never infinite.
  @Test func notEstimableIsNotInfinite() {
    let a = ScanSpread(values: [180], uncertainties: [nil])
    let b = ScanSpread(values: [160], uncertainties: [1.7])
    let c = JudgedChange(reference: a, other: b)
    #expect(c.change == -20 && c.inSigma == nil && c.significant == nil && c.combinedUncertainty == nil)
    #expect(c.note?.contains("not estimable") == true)
    let zero = JudgedChange(reference: ScanSpread(values: [0.4], uncertainties: [0]), other: ScanSpread(values: [0.3], uncertainties: [0]))
    #expect(zero.inSigma == nil && zero.significant == nil && zero.combinedUncertainty == 0)
    var row = ComparisonRow(name: "x", isReference: false)
    row.octahedron = OctahedronComparison(transAngle: 160, uncertainty: 1.7, scans: b, change: c)
    let csv = Comparison.csv([row])
    #expect(!csv.contains("inf"))
    #expect(csv.contains("angle_change_in_sigma"))
    #expect(Comparison.markdown([row], title: "t", notes: []).contains("not estimable"))
  }
}
