// Fixtures and readers for the mixture (LCF, PCA) tests: Larch's results from Tests/Reference/make_mixture_reference.py.
import Foundation

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

enum MixtureTestData {
  /// The repository root (three levels above this file's folder).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The real spectra kept beside the repository (absent in a fresh clone).
  static let realData = root.deletingLastPathComponent().appendingPathComponent("shared/data/real")

  /// The As K-edge Athena project of the real cases.
  static let arsenicProject = realData.appendingPathComponent("athena-projects/As_XAFS_fulldataset2.prj").path

  /// URL of a file in Tests/EXAFSKitTests/Fixtures/mixtures/.
  static func fixture(_ name: String) -> URL {
    root.appendingPathComponent("Tests/EXAFSKitTests/Fixtures/mixtures").appendingPathComponent(name)
  }

  /// Decodes a fixture JSON file; throws when it is missing (a missing fixture must fail loudly).
  static func load<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
    let data = try Data(contentsOf: fixture(name))
    return try JSONDecoder().decode(T.self, from: data)
  }

  /// mu(E) of a file given by its path in the fixture (`SampleSpectra/...` or `Fixtures/mixtures/...`).
  static func spectrum(relativePath: String) throws -> XASSpectrum {
    let url: URL
    let mu: String
    if relativePath.hasPrefix("Fixtures/") {
      url = root.appendingPathComponent("Tests/EXAFSKitTests").appendingPathComponent(relativePath)
      mu = "mu"
    } else {
      url = root.appendingPathComponent(relativePath)
      mu = "ln(i0/it)"
    }
    let inputs = try SpectrumReader.read(path: url.path, options: ReadOptions(mu: mu))
    guard inputs.count == 1, case .mu(var spectrum) = inputs[0] else {
      throw EXAFSError.unusableData(SourceLocation(file: url.path), "expected one mu(E) spectrum")
    }
    spectrum.name = url.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "_sim_transmission", with: "")
    return spectrum
  }

  /// One group of the As project, chosen by its Athena label, normalized with Larch's defaults.
  static func arsenicGroup(_ label: String) throws -> NormalizedSpectrum {
    let inputs = try SpectrumReader.read(path: arsenicProject, options: ReadOptions(groups: [label]))
    guard inputs.count == 1, case .mu(var spectrum) = inputs[0] else {
      throw EXAFSError.unusableData(SourceLocation(file: arsenicProject), "expected one mu(E) group '\(label)'")
    }
    spectrum.name = label
    return try normalize(spectrum)
  }

  /// Whether the real data are present (the real-data tests skip, saying why, when not).
  static var hasRealData: Bool { FileManager.default.fileExists(atPath: arsenicProject) }
}
