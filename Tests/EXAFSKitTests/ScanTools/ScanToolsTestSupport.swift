// Helpers for the scan-tool tests: the three repeated W L3 scans of SampleSpectra/ and small statistics.
import Foundation

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

enum ScanToolsTestData {
  /// The repository root (three levels above this file's folder).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Path of a file in SampleSpectra/.
  static func sample(_ name: String) -> String {
    root.appendingPathComponent("SampleSpectra").appendingPathComponent(name).path
  }

  /// The three repeated W L3 scans (W metal, APS 13-BM-D), mu = ln(i0/itrans).
  static let tungstenFiles = ["W_metal_rt_01.xdi", "W_metal_rt_02.xdi", "W_metal_rt_03.xdi"]

  /// One scan of SampleSpectra/ read as mu(E) with the reader's default column rules.
  static func scan(_ name: String, mu: String? = nil) throws -> XASSpectrum {
    let inputs = try SpectrumReader.read(path: sample(name), options: ReadOptions(mu: mu))
    guard inputs.count == 1, case .mu(let spectrum) = inputs[0] else {
      throw EXAFSError.unusableData(SourceLocation(file: name), "expected one mu(E) spectrum")
    }
    return spectrum
  }

  /// The three W scans.
  static func tungstenScans() throws -> [XASSpectrum] { try tungstenFiles.map { try scan($0) } }

  /// Edge step of a scan (Larch's pre_edge), for scaling tolerances.
  static func edgeStep(_ spectrum: XASSpectrum) throws -> Double { try normalize(spectrum).edgeStep }
}
