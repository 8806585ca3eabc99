// Weighted merges of the repeated W L3 scans: equal weights reproduce mergeScans, importance counts
// a scan as often as its weight says, and 1/variance favours the quieter scan.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct MergeWeightsTests {
  @Test func equalWeightsAreTheOrdinaryMerge() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let plain = try mergeScans(scans)
    let weighted = try mergeScans(scans, quantity: .mu, weighting: .equal)
    #expect(weighted.merged.x == plain.x)
    // Same sums in another order: 1e-15 relative measured; 1e-12 allowed.
    for i in plain.x.indices {
      #expect(abs(weighted.merged.mean[i] - plain.mean[i]) <= 1e-12 * max(1, abs(plain.mean[i])))
      #expect(abs(weighted.merged.stddev[i] - plain.stddev[i]) <= 1e-12)
    }
    #expect(weighted.weights.allSatisfy { abs($0 - 1.0 / 3) < 1e-15 })
  }

  @Test func importanceTwoCountsAScanTwice() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let weighted = try mergeScans(scans, quantity: .mu, weighting: .importance([2, 1, 1]))
    let repeated = try mergeScans([scans[0], scans[0], scans[1], scans[2]])
    for i in repeated.x.indices {
      #expect(abs(weighted.merged.mean[i] - repeated.mean[i]) <= 1e-12 * max(1, abs(repeated.mean[i])))
      #expect(abs(weighted.merged.stddev[i] - repeated.stddev[i]) <= 1e-12)
    }
  }

  @Test func inverseVarianceFavoursTheQuieterScan() throws {
    let base = try ScanToolsTestData.tungstenScans()[0]
    var quiet = base, loud = base
    quiet.name = "quiet"
    loud.name = "loud"
    let noise = GaussianNoise(seed: 17)
    quiet.mu = zip(base.mu, noise.samples(base.mu.count, sigma: 0.002)).map { $0 + $1 }
    loud.mu = zip(base.mu, noise.samples(base.mu.count, sigma: 0.008)).map { $0 + $1 }
    let merge = try mergeScans([quiet, loud], quantity: .mu, weighting: .inverseVariance)
    // Noise estimates: the added noise dominates the scan's own (~3e-4); ratio near 4 (+-25%).
    let ratio = merge.noise[1] / merge.noise[0]
    #expect(ratio > 3 && ratio < 5, "noise ratio \(ratio)")
    // Weights 1/sigma^2: near 16:1.
    #expect(merge.weights[0] > 0.9 && merge.weights[0] < 0.97, "\(merge.weights)")
    // The weighted mean is closer to the noise-free scan than the plain average.
    let equal = try mergeScans([quiet, loud], quantity: .mu, weighting: .equal)
    func rms(_ y: [Double]) -> Double {
      let d = zip(y, linearInterpolate(x: base.energy, y: base.mu, at: merge.merged.x)).map { $0 - $1 }
      return (d.reduce(0) { $0 + $1 * $1 } / Double(d.count)).squareRoot()
    }
    #expect(rms(merge.merged.mean) < 0.6 * rms(equal.merged.mean))
  }

  @Test func normAndChiMergesUseTheirOwnNoise() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let norm = try mergeScans(scans, quantity: .norm, weighting: .inverseVariance)
    let step = try ScanToolsTestData.edgeStep(scans[0])
    #expect(abs(norm.noise[0] - pointNoise(scans[0].mu) / step) < 1e-15)
    #expect(abs((norm.merged.mean.last ?? 0) - 1) < 0.2, "normalized merge ends near 1")
    let chi = try mergeScans(scans, quantity: .chi, weighting: .equal)
    let plain = try mergeScans(scans, parameters: MergeParameters(space: .k))
    #expect(chi.merged.x == plain.x)
    for i in plain.x.indices { #expect(abs(chi.merged.mean[i] - plain.mean[i]) <= 1e-12) }
  }

  @Test func badImportanceIsRejected() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    #expect(throws: EXAFSError.self) { try mergeScans(scans, quantity: .mu, weighting: .importance([1, 1])) }
    #expect(throws: EXAFSError.self) { try mergeScans(scans, quantity: .mu, weighting: .importance([1, -1, 1])) }
  }
}
