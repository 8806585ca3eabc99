// Principal component analysis compared with Larch's pca_train and pca_fit (target transformation).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// One case of Fixtures/mixtures/pca_reference.json (Tests/Reference/make_mixture_reference.py, Larch 2026.3.1).
struct PCAReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
  struct Target: Decodable, Sendable {
    let name: String
    let weights: [Double]
    let chi_square: Double
    let scale: Double
  }
  struct Factor: Decodable, Sendable {
    let factor: Int
    let f: Double
    let significance: Double
  }
  let name: String
  let space: String
  let xmin: Double
  let xmax: Double
  let files: [String: String]
  let spectra: [String]
  let e0: [String: Double]
  /// Larch's arrays (absent for the real case: measured data are not committed).
  let x: [Double]?
  let ydat: [[Double]]?
  let components: [[Double]]?
  let eigenvalues: [Double]
  let variances: [Double]
  let ind: [Double]
  let nsig: Int
  let f_test: [Factor]
  let ncomps: Int
  let targets: [Target]

  var testDescription: String { name }

  struct File: Decodable { let cases: [PCAReferenceCase]; let real_cases: [PCAReferenceCase] }
  static let file: File? = try? MixtureTestData.load(File.self, from: "pca_reference.json")
}

struct PrincipalComponentTests {
  static let series = PCAReferenceCase.file?.cases.first
  static let arsenic = PCAReferenceCase.file?.real_cases.first

  @Test func referenceFixtureIsPresent() {
    #expect(Self.series != nil, "Fixtures/mixtures/pca_reference.json missing")
  }

  /// Checks a model against Larch's numbers: eigenvalues, variances, IND, nsig, F-test.
  func expectStatistics(_ model: PrincipalComponentModel, _ reference: PCAReferenceCase, tolerance: Double) {
    let largest = reference.eigenvalues[0]
    #expect(model.eigenvalues.count == reference.eigenvalues.count)
    for (ours, larch) in zip(model.eigenvalues, reference.eigenvalues) {
      #expect(abs(ours - larch) <= tolerance * largest, "eigenvalue \(ours) vs Larch \(larch)")
    }
    for (ours, larch) in zip(model.variances, reference.variances) { #expect(abs(ours - larch) <= tolerance) }
    #expect(model.ind.count == reference.ind.count)
    for (ours, larch) in zip(model.ind, reference.ind) {
      #expect(abs(ours - larch) <= tolerance * larch, "IND \(ours) vs Larch \(larch)")
    }
    #expect(model.indComponents == reference.nsig)
    #expect(model.fTest.count == reference.f_test.count)
    for (ours, larch) in zip(model.fTest, reference.f_test) {
      #expect(ours.factor == larch.factor)
      #expect(abs(ours.f - larch.f) <= 1e-6 * larch.f + tolerance, "F of factor \(larch.factor)")
      #expect(abs(ours.significance - larch.significance) <= 1e-9 + tolerance, "significance of factor \(larch.factor)")
    }
  }

  /// The decomposition alone: Larch's matrix in.
  @Test func trainMatchesPcaTrainOnLarchsMatrix() throws {
    let reference = try #require(Self.series)
    let x = try #require(reference.x), rows = try #require(reference.ydat)
    let spectra = zip(reference.spectra, rows).map {
      MixtureSpectrum(name: $0, source: "larch", e0: 0, space: .norm, x: x, y: $1)
    }
    let matrix = try MixtureMatrix(spectra, xmin: nil, xmax: nil)
    let model = try trainPrincipalComponents(matrix, space: .norm, xmin: nil, xmax: nil)
    // Measured: eigenvalues 5e-16 of the largest, IND 3e-13 relative, F 3e-13, significance 5e-14.
    expectStatistics(model, reference, tolerance: 1e-11)
    let larch = try #require(reference.components)
    // Components up to sign (the eigenvector sign is LAPACK's choice in Larch), measured 5e-13;
    // only the non-degenerate ones (the last eigenvalue is zero by construction).
    for j in 0..<(larch.count - 1) {
      let sign: Double = zip(model.components[j], larch[j]).reduce(0) { $0 + $1.0 * $1.1 } >= 0 ? 1 : -1
      let scale = larch[j].map(abs).max() ?? 1
      let worst = zip(model.components[j], larch[j]).map { abs(sign * $0 - $1) }.max() ?? .nan
      #expect(worst <= 1e-9 * scale, "component \(j + 1): \(worst)")
    }
  }

  /// From the files: our normalization, the decomposition, and target transformation of the standards.
  @Test func seriesFromFilesMatchesLarchWithTargetTransformation() throws {
    let reference = try #require(Self.series)
    let spectra = try reference.spectra.map { name in
      let spectrum = try MixtureTestData.spectrum(relativePath: try #require(reference.files[name]))
      return MixtureSpectrum(normalized: try normalize(spectrum), space: .norm)
    }
    let matrix = try MixtureMatrix(spectra, xmin: reference.xmin, xmax: reference.xmax)
    #expect(matrix.x.count == reference.x?.count)
    let model = try trainPrincipalComponents(matrix, space: .norm, xmin: reference.xmin, xmax: reference.xmax)
    // Measured (our normalization included): eigenvalues 1e-13 of the largest, IND 1.5e-12, F 8e-12.
    expectStatistics(model, reference, tolerance: 1e-10)
    let larch = try #require(reference.components)
    let signs: [Double] = (0..<reference.ncomps).map {
      zip(model.components[$0], larch[$0]).reduce(0) { $0 + $1.0 * $1.1 } >= 0 ? 1 : -1
    }
    for target in reference.targets {
      let file = "SampleSpectra/simulated/\(target.name)_sim_transmission.dat"
      let spectrum = try MixtureTestData.spectrum(relativePath: file)
      let candidate = MixtureSpectrum(normalized: try normalize(spectrum), space: .norm)
      let t = try model.targetTransformation(candidate, components: reference.ncomps)
      // Larch finds the scale with lmfit at tolerance 1e-5; the closed form agrees to (measured)
      // 2.4e-9, chi-square to 7e-12 relative, the weights to 1e-5.
      #expect(abs(t.scale - target.scale) < 1e-7, "\(target.name) scale \(t.scale) vs Larch \(target.scale)")
      #expect(abs(t.chiSquare - target.chi_square) <= 1e-9 * target.chi_square, "\(target.name) chi-square")
      for j in 0..<reference.ncomps {
        #expect(abs(signs[j] * t.weights[j] - target.weights[j]) < 1e-5 * max(1, abs(target.weights[j])))
      }
    }
  }

  @Test(.enabled(if: MixtureTestData.hasRealData, "needs ../shared/data/real/ (real data kept beside the repository, not in it)"))
  func arsenicSoilsMatchLarch() throws {
    let reference = try #require(Self.arsenic)
    let spectra = try reference.spectra.map { MixtureSpectrum(normalized: try MixtureTestData.arsenicGroup($0), space: .norm) }
    let matrix = try MixtureMatrix(spectra, xmin: reference.xmin, xmax: reference.xmax)
    let model = try trainPrincipalComponents(matrix, space: .norm, xmin: reference.xmin, xmax: reference.xmax)
    // Real spectra on three energy grids (cubic interpolation as Larch's): measured eigenvalues
    // 6e-14 of the largest, IND 4e-13, F 1.5e-12.
    expectStatistics(model, reference, tolerance: 1e-10)
    for target in reference.targets {
      let candidate = MixtureSpectrum(normalized: try MixtureTestData.arsenicGroup(target.name), space: .norm)
      let t = try model.targetTransformation(candidate, components: reference.ncomps)
      // Scale: measured 2.5e-6 for Na-arsenate (a flat minimum, where lmfit stops within its 1e-5
      // tolerance), 4e-9 for the others; chi-square 2.4e-11 relative.
      #expect(abs(t.scale - target.scale) < 1e-5, "\(target.name) scale \(t.scale) vs Larch \(target.scale)")
      #expect(abs(t.chiSquare - target.chi_square) <= 1e-9 * target.chi_square, "\(target.name) chi-square")
    }
  }

  @Test func fDistributionTailMatchesKnownValues() {
    // scipy.stats.f.sf(4.0, 1, 10) = 0.07339 (to 5 digits); sf(1, 1, 1) = 0.5 exactly (t with 1 dof).
    #expect(abs(fDistributionSurvival(4.0, 1, 10) - 0.0733880) < 1e-6)
    #expect(abs(fDistributionSurvival(1.0, 1, 1) - 0.5) < 1e-12)
    #expect(fDistributionSurvival(0, 1, 5) == 1)
  }

  @Test func identicalSpectraAreRejectedNotDecomposedIntoRoundingNoise() throws {
    let x = (0..<40).map(Double.init)
    let a = MixtureSpectrum(name: "a", source: "a.dat", e0: 0, space: .norm, x: x, y: x.map { sin($0 / 5) + 1 })
    var b = a, c = a
    b.name = "b"
    c.name = "c"
    #expect(throws: EXAFSError.self) {
      try trainPrincipalComponents(try MixtureMatrix([a, b, c], xmin: nil, xmax: nil), space: .norm, xmin: nil, xmax: nil)
    }
  }

  @Test func twoSpectraAreRejected() throws {
    let x = (0..<20).map(Double.init)
    let a = MixtureSpectrum(name: "a", source: "", e0: 0, space: .norm, x: x, y: x)
    let b = MixtureSpectrum(name: "b", source: "", e0: 0, space: .norm, x: x, y: x.map { $0 * $0 })
    #expect(throws: EXAFSError.self) {
      try trainPrincipalComponents(try MixtureMatrix([a, b], xmin: nil, xmax: nil), space: .norm, xmin: nil, xmax: nil)
    }
  }
}
