// FEFF path files (FEFF6 and FEFF8 layouts) and path chi(k) against Larch's feffpath + path2chi.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// Folder of the fitting fixtures in the source tree (model files refer to paths relative to it).
func fittingFixtures() -> URL {
  repositoryRoot().appendingPathComponent("Tests/EXAFSKitTests/Fixtures/fitting")
}

struct Path2ChiReference: Decodable {
  var file: String
  var parameters: [String: Double]
  var reff: Double
  var degen: Double
  var nleg: Int
  var k: [Double]
  var chi: [Double]
}

struct FeffPathTests {
  static let references: [Path2ChiReference] = {
    let url = fittingFixtures().appendingPathComponent("path2chi.json")
    guard let data = try? Data(contentsOf: url) else { return [] }
    return (try? JSONDecoder().decode([Path2ChiReference].self, from: data)) ?? []
  }()

  @Test func referenceSetCoversFeff6AndFeff8() {
    #expect(Self.references.count == 51)
    #expect(Self.references.contains { $0.file.hasPrefix("feff8/") })
    #expect(Self.references.contains { $0.nleg == 4 })
  }

  /// Every path of the test set, three parameter sets each: chi(k) equals Larch's to 1e-11 of the
  /// path's peak |chi| (the issue asks for 1e-6; reached 3.5e-13), header values exactly.
  @Test(arguments: Array(0..<51))
  func pathChiMatchesLarch(index: Int) throws {
    let ref = try #require(Self.references.count > index ? Self.references[index] : nil)
    let path = try FeffPath(path: fittingFixtures().appendingPathComponent(ref.file).path)
    #expect(path.file.reff == ref.reff)
    #expect(path.file.nleg == ref.nleg)
    let q = ref.parameters
    let p = PathParameters(
      s02: q["s02"] ?? 1, e0: q["e0"] ?? 0, deltar: q["deltar"] ?? 0, sigma2: q["sigma2"] ?? 0,
      third: q["third"] ?? 0, fourth: q["fourth"] ?? 0, ei: q["ei"] ?? 0, degen: q["degen"])
    #expect(path.defaultK.count == ref.k.count)
    let chi = path.chi(k: ref.k, parameters: p).chi
    let peak = ref.chi.map(abs).max() ?? 1
    let worst = zip(chi, ref.chi).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst <= 1e-11 * peak, "\(ref.file) \(q): max |diff| = \(worst / peak) of the peak")
  }

  @Test func feff8HeaderAndAtomsAreRead() throws {
    let file = try FeffPathFile(path: fittingFixtures().appendingPathComponent("feff8/tacl6/feff0001.dat").path)
    #expect(file.nleg == 2)
    #expect(file.degen == 6)
    #expect(file.reff == 2.37)
    #expect(file.atoms.map(\.symbol) == ["Ta", "Cl"])
    #expect(file.k.first == 0 && file.k.count > 50)
  }

  @Test func notAFeffFileIsRejectedWithItsName() throws {
    let url = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi")
    do {
      _ = try FeffPathFile(path: url.path)
      Issue.record("a chi(k) file was accepted as a FEFF path")
    } catch let error as EXAFSError {
      #expect(error.description.contains("tacl6_bend00.chi"))
      #expect(error.description.contains("not a FEFF path file"))
    }
  }
}
