// Merging the three repeated W L3 scans of SampleSpectra/ in mu(E) and in chi(k).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct ScanToolMergeTests {
  /// Population standard deviation (numpy's std, ddof = 0).
  static func std(_ v: [Double]) -> Double {
    let m = v.reduce(0, +) / Double(v.count)
    return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
  }

  @Test func mergedMuIsTheMeanOfTheThreeTungstenScans() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let merged = try mergeScans(scans)
    // The three scans share one energy grid (SampleSpectra/README.md), so no interpolation happens:
    // the merge must equal the point-by-point mean and std to rounding (1e-12).
    #expect(merged.x == scans[0].energy)
    #expect(merged.scanCount == 3)
    for i in merged.x.indices {
      let values = scans.map { $0.mu[i] }
      #expect(abs(merged.mean[i] - values.reduce(0, +) / 3) < 1e-12)
      #expect(abs(merged.stddev[i] - Self.std(values)) < 1e-12)
    }
    // The scans repeat each other closely. Away from the edge (|E - E0| > 10 eV) the spread is
    // counting noise, under 0.2% of the edge step (~2.1; largest 0.0025 at 10255 eV); on the steep
    // edge a drift of a few hundredths of an eV gives up to 1.5% (0.030 at 10205.5 eV).
    let step = try ScanToolsTestData.edgeStep(scans[0])
    let far = merged.x.indices.filter { abs(merged.x[$0] - 10205) > 10 }
    #expect(far.allSatisfy { merged.stddev[$0] < 0.002 * step })
    #expect((merged.stddev.max() ?? 1) < 0.02 * step)
    let sorted = merged.stddev.sorted()
    #expect(sorted[sorted.count / 2] < 0.001 * step, "median stddev \(sorted[sorted.count / 2])")
  }

  @Test func mergingOneScanThreeTimesGivesZeroStddev() throws {
    let scan = try ScanToolsTestData.scan("W_metal_rt_02.xdi")
    let merged = try mergeScans([scan, scan, scan])
    #expect(merged.mean == scan.mu)
    #expect(merged.stddev.allSatisfy { $0 == 0 })
  }

  @Test func gridIsTheFirstScansEnergiesInsideTheOverlap() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let short = try scans[1].truncated(emin: 10100, emax: 11200)
    let shifted = scans[2].shifted(by: 0.1)  // off the first scan's grid: interpolated
    let merged = try mergeScans([scans[0], short, shifted])
    let lo = max(short.energy[0], shifted.energy[0])
    let hi = min(short.energy.last ?? 0, shifted.energy.last ?? 0)
    #expect(merged.x == scans[0].energy.filter { $0 >= lo && $0 <= hi })
    let i = merged.x.count / 2
    let third = linearInterpolate(x: shifted.energy, y: shifted.mu, at: [merged.x[i]])[0]
    let j = try #require(scans[0].energy.firstIndex(of: merged.x[i]))
    let k = try #require(short.energy.firstIndex(of: merged.x[i]))
    #expect(abs(merged.mean[i] - (scans[0].mu[j] + short.mu[k] + third) / 3) < 1e-12)
  }

  @Test func scansThatDoNotOverlapAreRejectedNamingAFile() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    let low = try scans[0].truncated(emax: 10300)
    let high = try scans[1].truncated(emin: 10400)
    #expect {
      try mergeScans([low, high])
    } throws: { error in
      guard case EXAFSError.unusableData(let location, let message) = error else { return false }
      return location.file.hasSuffix(".xdi") && message.contains("do not overlap")
    }
    #expect(throws: EXAFSError.self) { try mergeScans([]) }
  }

  @Test func chiMergeAveragesTheAutobkChiOfEachScan() throws {
    let scans = try ScanToolsTestData.tungstenScans()
    var parameters = MergeParameters(space: .k)
    parameters.kstep = 0.05
    let merged = try mergeScans(scans, parameters: parameters)
    let chis = try scans.map { try autobk(normalize($0)) }
    #expect(merged.space == .k)
    #expect(merged.columnNames == ["k", "chi", "stddev"])
    #expect(abs(merged.x[1] - merged.x[0] - 0.05) < 1e-12)
    let kEnd = chis.map { $0.k.last ?? 0 }.min() ?? 0
    #expect(abs((merged.x.last ?? 0) - kEnd) < 0.05 + 1e-9)
    for i in stride(from: 0, to: merged.x.count, by: 37) {
      let values = chis.map { linearInterpolate(x: $0.k, y: $0.chi, at: [merged.x[i]])[0] }
      #expect(abs(merged.mean[i] - values.reduce(0, +) / 3) < 1e-12)
    }
    // Repeated scans: the spread of chi over 3 <= k <= 12 is small next to chi itself.
    let band = merged.x.indices.filter { merged.x[$0] >= 3 && merged.x[$0] <= 12 }
    let chiRMS = (band.reduce(0) { $0 + merged.mean[$1] * merged.mean[$1] } / Double(band.count)).squareRoot()
    let stdRMS = (band.reduce(0) { $0 + merged.stddev[$1] * merged.stddev[$1] } / Double(band.count)).squareRoot()
    #expect(stdRMS < 0.1 * chiRMS, "stddev RMS \(stdRMS) vs chi RMS \(chiRMS)")
  }

  @Test func mergedColumnFileReadsBackWithItsHeader() throws {
    let merged = try mergeScans(ScanToolsTestData.tungstenScans())
    let text = merged.columnFileText(extraHeader: ["align.eshift.2: 0.033 eV"])
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID().uuidString).dat").path
    try AtomicWriter.write(text, to: path)
    let table = try ColumnFile.read(path: path)
    #expect(table.names == ["energy", "mu", "stddev"])
    #expect(table.metadata["n_scans"] == "3")
    #expect(table.metadata["Element.symbol"] == "W")
    #expect(table.metadata["align.eshift.2"] == "0.033 eV")
    let inputs = try SpectrumReader.read(path: path)
    guard case .mu(let spectrum) = try #require(inputs.first) else {
      Issue.record("the merge did not read back as mu(E)")
      return
    }
    #expect(spectrum.energy.count == merged.x.count)
    // %.10g text: 10 significant digits.
    #expect(zip(spectrum.mu, merged.mean).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) })
  }

  @Test func mergedAthenaGroupKeepsTheStddev() throws {
    let merged = try mergeScans(ScanToolsTestData.tungstenScans())
    let group = merged.athenaGroup(label: "W merged")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID().uuidString).prj").path
    try AtomicWriter.write(try AthenaProject.write(groups: [group]), to: path)
    let back = try AthenaProject.read(path: path)
    #expect(back.count == 1)
    #expect(back.first?.label == "W merged")
    #expect(back.first?.datatype == "xmu")
    #expect(back.first?.args["atsym"] == "W")
    #expect(back.first?.x == merged.x)
    #expect(back.first?.y == merged.mean)
    #expect(back.first?.stddev == merged.stddev)
  }
}
