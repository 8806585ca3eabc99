// Replays every file of Tests/Corpus (broken inputs and minimized fuzz findings) through the library in-process.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct CorpusReplayTests {
  /// Every corpus file, relative to Tests/Corpus.
  static let files: [String] = {
    let root = FuzzSupport.repositoryRoot.appendingPathComponent("Tests/Corpus").path
    let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
    return all.filter { name in
      var isDirectory: ObjCBool = false
      return !name.hasSuffix(".md") && FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
        && !isDirectory.boolValue
    }.sorted()
  }()

  /// The corpus is there: 41 files (a replay of an empty corpus would pass vacuously).
  @Test func corpusIsComplete() {
    #expect(Self.files.count == 41, "\(Self.files.count) corpus files")
  }

  /// Each corpus file is rejected with an `EXAFSError` that names it; none crashes or yields NaN.
  @Test(arguments: files)
  func corpusFileIsRejectedCleanly(name: String) {
    let path = FuzzSupport.repositoryRoot.appendingPathComponent("Tests/Corpus/" + name).path
    let result = PipelineProbe.run(path: path)
    for problem in result.problems { Issue.record(Comment(rawValue: "\(name): \(problem)")) }
    #expect(!result.outcomes.isEmpty && !result.outcomes.contains("processed"), "\(name): \(result.outcomes)")
  }

  /// The parameter values that crashed the FFT grid (`--kmax 1e300`) and the window
  /// (`--bkg-dk 1e300`) are rejected by `ProcessingSettings.validate` before any work.
  @Test(arguments: ["kmax", "kmin", "dk", "dk2", "bkg_dk", "bkg_kmin"])
  func hugeKParametersAreRejected(name: String) {
    #expect(throws: EXAFSError.self) { try ProcessingSettings.resolve(stored: [:], given: [name: "1e300"]) }
  }

  /// A window whose taper runs far past the grid no longer overflows the index conversion.
  @Test func windowWithHugeTaperStaysOnTheGrid() {
    let k = (0..<400).map { Double($0) * 0.05 }
    for kind in FTWindowKind.allCases {
      let w = ftWindow(k, xmin: 2, xmax: 1e300, dx: 1e300, dx2: 1e300, kind: kind)
      #expect(w.count == k.count)
    }
  }
}
