// Linear-combination fitting compared with Larch's lincombo_fit and lincombo_fitall.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// One case of Fixtures/mixtures/lcf_reference.json (Tests/Reference/make_mixture_reference.py, Larch 2026.3.1).
struct LCFReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
  struct Ranked: Decodable, Sendable {
    let standards: [String]
    let weights: [String: Double]
    let reduced_chi_square: Double
    let r_factor: Double
  }
  let name: String
  let space: String
  let kweight: Int
  let sum_to_one: Bool
  let vary_e0: Bool
  let files: [String: String]
  let sample: String
  let standards: [String]
  let e0: [String: Double]
  let xmin: Double
  let xmax: Double
  let kmin: Double?
  let kmax: Double?
  /// Larch's arrays (absent for the real cases: measured data are not committed).
  let x: [Double]?
  let y: [Double]?
  let components: [[Double]]?
  let weights: [String: Double]
  let uncertainties: [String: Double?]
  let e0_shift: Double
  let e0_shift_uncertainty: Double?
  let chi_square: Double
  let reduced_chi_square: Double
  let r_factor: Double
  let npts: Int
  let nvarys: Int
  let ranking: [Ranked]

  var testDescription: String { name }

  struct File: Decodable {
    let cases: [LCFReferenceCase]
    let bounded_cases: [LCFReferenceCase]
    let real_cases: [LCFReferenceCase]
  }
  static let file: File? = try? MixtureTestData.load(File.self, from: "lcf_reference.json")

  var spaceValue: MixtureSpace { space == "dmude" ? .deriv : (MixtureSpace(rawValue: space) ?? .norm) }

  var parameters: LinearCombinationParameters {
    var p = LinearCombinationParameters()
    p.space = spaceValue
    p.kweight = kweight
    p.sumToOne = sum_to_one
    p.varyE0 = vary_e0
    p.xmin = spaceValue == .chik ? kmin : xmin
    p.xmax = spaceValue == .chik ? kmax : xmax
    return p
  }

  /// Larch's own arrays (sample and standards on the sample's grid), as MixtureSpectrum values.
  var larchArrays: (sample: MixtureSpectrum, standards: [MixtureSpectrum]) {
    let x = self.x ?? [], y = self.y ?? [], components = self.components ?? []
    let s = MixtureSpectrum(name: sample, source: "larch", e0: e0[sample] ?? 0, space: spaceValue, x: x, y: y)
    let stds = zip(standards, components).map {
      MixtureSpectrum(name: $0, source: "larch", e0: e0[$0] ?? 0, space: spaceValue, x: x, y: $1)
    }
    return (s, stds)
  }
}

struct LinearCombinationFitTests {
  static let cases = LCFReferenceCase.file?.cases ?? []
  static let realCases = LCFReferenceCase.file?.real_cases ?? []

  @Test func referenceFixtureIsPresent() {
    #expect(Self.cases.count == 6, "Fixtures/mixtures/lcf_reference.json missing or incomplete")
  }

  /// The fit alone: Larch's arrays in, Larch's numbers out.
  @Test(arguments: cases)
  func fitMatchesLarchOnLarchsArrays(reference: LCFReferenceCase) throws {
    let (sample, standards) = reference.larchArrays
    let analysis = try analyzeLinearCombinations(sample: sample, standards: standards, parameters: reference.parameters)
    let fit = analysis.fit
    #expect(fit.pointCount == reference.npts)
    #expect(fit.variableCount == reference.nvarys)
    // Linear cases: the exact least-squares solution vs lmfit's Levenberg-Marquardt; measured
    // agreement 1.6e-9 in weights (four nearly collinear standards; 3e-13 for two), 3.4e-8
    // relative in uncertainties, 1e-14 relative in chi-square and R-factor.
    // With E0 varied (lmfit stops at its tolerance): measured 3.3e-8 in weights, 2.6e-8 eV in
    // e0_shift, 1.5e-7 relative in the weights' uncertainties, 8e-9 relative in the R-factor.
    let weightTolerance = reference.vary_e0 ? 2e-7 : 1e-8
    let relativeTolerance = reference.vary_e0 ? 1e-6 : 1e-7
    for (i, name) in reference.standards.enumerated() {
      let larch = try #require(reference.weights[name])
      #expect(abs(fit.weights[i] - larch) < weightTolerance, "\(name): \(fit.weights[i]) vs Larch \(larch)")
      if let error = reference.uncertainties[name] ?? nil {
        #expect(abs(fit.uncertainties[i] - error) <= relativeTolerance * error, "\(name) stderr \(fit.uncertainties[i]) vs \(error)")
      }
    }
    #expect(abs(fit.e0Shift - reference.e0_shift) < (reference.vary_e0 ? 2e-7 : 1e-12), "e0_shift \(fit.e0Shift)")
    if let error = reference.e0_shift_uncertainty, let ours = fit.e0ShiftUncertainty {
      #expect(abs(ours - error) <= 1e-6 * error, "e0_shift stderr \(ours) vs \(error)")
    }
    #expect(abs(fit.chiSquare - reference.chi_square) <= relativeTolerance * reference.chi_square)
    #expect(abs(fit.reducedChiSquare - reference.reduced_chi_square) <= relativeTolerance * reference.reduced_chi_square)
    #expect(abs(fit.rFactor - reference.r_factor) <= relativeTolerance * reference.r_factor)
  }

  /// Every combination Larch's lincombo_fitall kept has the same weights and statistics, in the same order.
  @Test(arguments: cases)
  func rankingMatchesLincomboFitall(reference: LCFReferenceCase) throws {
    let (sample, standards) = reference.larchArrays
    let analysis = try analyzeLinearCombinations(sample: sample, standards: standards, parameters: reference.parameters)
    let m = standards.count
    let expectedCount = (2...max(2, m)).reduce(0) { $0 + combinations(of: m, choose: $1).count }
    #expect(analysis.ranking.count == expectedCount)
    var lastIndex = -1
    for larch in reference.ranking {
      let index = try #require(analysis.ranking.firstIndex { $0.standards == larch.standards }, "\(larch.standards)")
      #expect(index > lastIndex, "order of \(larch.standards)")
      lastIndex = index
      let ours = analysis.ranking[index]
      for (i, name) in ours.standards.enumerated() {
        #expect(abs(ours.weights[i] - (larch.weights[name] ?? .nan)) < (reference.vary_e0 ? 2e-7 : 1e-8))
      }
      #expect(abs(ours.reducedChiSquare - larch.reduced_chi_square) <= 1e-6 * larch.reduced_chi_square)
    }
  }

  /// From the files: our normalization (and AUTOBK for chi(k)) and our fit vs Larch's whole chain.
  @Test(arguments: cases)
  func weightsFromFilesMatchLarch(reference: LCFReferenceCase) throws {
    func load(_ name: String) throws -> MixtureSpectrum {
      let path = try #require(reference.files[name])
      let spectrum = try MixtureTestData.spectrum(relativePath: path)
      let normalized = try normalize(spectrum)
      if reference.spaceValue == .chik {
        let chi = try autobk(normalized, parameters: AutobkParameters())
        return MixtureSpectrum(
          name: name, source: path, e0: normalized.e0, k: chi.k, chi: chi.chi, kweight: reference.kweight)
      }
      return MixtureSpectrum(normalized: normalized, space: reference.spaceValue)
    }
    let sample = try load(reference.sample)
    let standards = try reference.standards.map(load)
    #expect(abs(sample.e0 - (reference.e0[reference.sample] ?? .nan)) < 1e-6, "sample E0 \(sample.e0)")
    let fit = try analyzeLinearCombinations(sample: sample, standards: standards, parameters: reference.parameters).fit
    #expect(fit.pointCount == reference.npts)
    // Issue 17 asks for 1e-4 in the weights. Measured: 1.6e-9 in norm and dmude (3.3e-8 with E0
    // varied), 8.5e-7 in k^2 chi(k), where AUTOBK's own agreement with Larch sets the limit.
    let tolerance = reference.spaceValue == .chik ? 5e-6 : 2e-7
    for (i, name) in reference.standards.enumerated() {
      let larch = try #require(reference.weights[name])
      #expect(abs(fit.weights[i] - larch) < tolerance, "\(name): \(fit.weights[i]) vs Larch \(larch)")
    }
  }

  /// Real As K-edge standards and a soil sample (Athena project beside the repository).
  @Test(
    .enabled(if: MixtureTestData.hasRealData, "needs ../shared/data/real/ (real data kept beside the repository, not in it)"),
    arguments: realCases)
  func weightsOfRealArsenicMatchLarch(reference: LCFReferenceCase) throws {
    func load(_ label: String) throws -> MixtureSpectrum {
      MixtureSpectrum(normalized: try MixtureTestData.arsenicGroup(label), space: reference.spaceValue)
    }
    let sample = try load(reference.sample)
    let fit = try analyzeLinearCombinations(
      sample: sample, standards: try reference.standards.map(load), parameters: reference.parameters
    ).fit
    #expect(fit.pointCount == reference.npts)
    for (i, name) in reference.standards.enumerated() {
      let larch = try #require(reference.weights[name])
      // Measured 3.2e-11 (standards on other energy grids: our cubic interpolation vs scipy's).
      #expect(abs(fit.weights[i] - larch) < 1e-9, "\(name): \(fit.weights[i]) vs Larch \(larch)")
    }
  }

  /// Weights in [0, 1]: the exact bounded minimum, which Larch's bounded lmfit does not always reach.
  @Test func boundedFitFindsTheMinimumWithinZeroToOne() throws {
    let unbounded = try #require(Self.cases.first { $0.name == "tacl6_norm_four" })
    let larchBounded = try #require(LCFReferenceCase.file?.bounded_cases.first)
    var parameters = unbounded.parameters
    parameters.weightBounds = 0...1
    let (sample, standards) = unbounded.larchArrays
    let fit = try analyzeLinearCombinations(sample: sample, standards: standards, parameters: parameters).fit
    #expect(fit.weights.allSatisfy { $0 >= 0 && $0 <= 1 })
    // Unbounded, bend20 comes out at -0.16; the bounded minimum holds bend10 and bend20 at 0 and is
    // the (interior) two-standard fit of bend00 + bend30, which Larch's lincombo_fitall gives.
    let pair = try #require(unbounded.ranking.first { $0.standards == ["tacl6_bend00", "tacl6_bend30"] })
    #expect(abs(fit.weights[0] - (pair.weights["tacl6_bend00"] ?? .nan)) < 1e-8)
    #expect(abs(fit.weights[3] - (pair.weights["tacl6_bend30"] ?? .nan)) < 1e-8)
    #expect(fit.weights[1] == 0 && fit.weights[2] == 0 && fit.uncertainties[1] == 0)
    // Larch's lmfit with minvals = 0, maxvals = 1 stops at 0.7145 / 0.2855 with a larger chi-square.
    #expect(fit.chiSquare < 0.8 * larchBounded.chi_square, "ours \(fit.chiSquare), Larch \(larchBounded.chi_square)")
  }

  @Test func boundedFitBeatsEveryPointOfAGrid() throws {
    // Three made-up standards and a sample outside their simplex: the minimum lies on its edge.
    let x = (0..<80).map { Double($0) / 8 }
    let s = [x.map { sin($0) }, x.map { cos($0 / 2) }, x.map { 0.3 + 0.05 * $0 }]
    let b = x.map { 1.2 * sin($0) - 0.1 * cos($0 / 2) + 0.02 * sin(7 * $0) }
    let names = ["a", "b", "c"]
    let matrix = MixtureMatrix(unchecked: x, rows: [b] + s, names: ["s"] + names)
    let fit = try fitLinearCombination(matrix, sumToOne: true, bounds: 0...1)
    func chi2(_ w: [Double]) -> Double {
      x.indices.reduce(0.0) { acc, i in
        let r = w[0] * s[0][i] + w[1] * s[1][i] + w[2] * s[2][i] - b[i]
        return acc + r * r
      }
    }
    var gridBest = Double.infinity
    for i in 0...200 {
      for j in 0...(200 - i) {
        let w = [Double(i) / 200, Double(j) / 200, Double(200 - i - j) / 200]
        gridBest = min(gridBest, chi2(w))
      }
    }
    #expect(fit.weights.allSatisfy { $0 >= -1e-12 && $0 <= 1 + 1e-12 })
    #expect(abs(fit.weightSum - 1) < 1e-12)
    #expect(fit.chiSquare <= gridBest + 1e-12, "\(fit.chiSquare) vs grid \(gridBest)")
    #expect(abs(fit.chiSquare - chi2(fit.weights)) < 1e-10)
  }

  @Test func aStandardOutsideTheRangeIsAnErrorNotAnExtrapolation() throws {
    let x = (0..<50).map { Double($0) }
    let sample = MixtureSpectrum(name: "s", source: "", e0: 0, space: .norm, x: x, y: x.map { sin($0 / 7) })
    let near = MixtureSpectrum(name: "near", source: "", e0: 0, space: .norm, x: x, y: x.map { cos($0 / 7) })
    let far = MixtureSpectrum(name: "far", source: "far.dat", e0: 0, space: .norm, x: x.map { $0 + 100 }, y: x)
    #expect(throws: EXAFSError.self) {
      try analyzeLinearCombinations(sample: sample, standards: [near, far], parameters: LinearCombinationParameters())
    }
    // Partly outside: fitted, and named among the extrapolated.
    let partly = MixtureSpectrum(name: "partly", source: "", e0: 0, space: .norm, x: x.map { $0 + 10 }, y: x.map { sin($0 / 5) })
    let matrix = try MixtureMatrix([sample, near, partly], xmin: nil, xmax: nil)
    #expect(matrix.extrapolated == ["partly"])
  }

  @Test func combinationsFollowItertoolsOrder() {
    #expect(combinations(of: 4, choose: 2) == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
    #expect(combinations(of: 3, choose: 3) == [[0, 1, 2]])
    #expect(combinations(of: 2, choose: 3).isEmpty)
  }

  @Test func identicalStandardsAreReportedNotFitted() throws {
    let x = (0..<50).map { Double($0) }
    let a = MixtureSpectrum(name: "a", source: "", e0: 0, space: .norm, x: x, y: x.map { sin($0 / 7) })
    var b = a
    b.name = "b"
    let s = MixtureSpectrum(name: "s", source: "", e0: 0, space: .norm, x: x, y: x.map { 0.5 * sin($0 / 7) })
    #expect(throws: EXAFSError.self) {
      try analyzeLinearCombinations(sample: s, standards: [a, b], parameters: LinearCombinationParameters())
    }
  }
}

