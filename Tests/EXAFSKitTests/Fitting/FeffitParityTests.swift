// exafs fit against Larch's feffit on the committed cases (Tests/Reference/make_fit_reference.py).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct FeffitReference: Decodable {
  struct Parameter: Decodable {
    var value: Double
    var stderr: Double?
    var vary: Bool
    var correl: [String: Double]?
  }
  struct Path: Decodable {
    var s02: Double
    var e0: Double
    var deltar: Double
    var sigma2: Double
    var r: Double
  }
  struct Dataset: Decodable {
    var epsilon_k: [Double]
    var epsilon_r: [Double]
    var n_idp: Double
    var paths: [Path]
  }
  var parameters: [String: Parameter]
  var statistics: [String: Double]
  var datasets: [Dataset]
  var residual_start: [Double]

  static let all: [String: FeffitReference] = {
    let url = fittingFixtures().appendingPathComponent("feffit.json")
    guard let data = try? Data(contentsOf: url) else { return [:] }
    return (try? JSONDecoder().decode([String: FeffitReference].self, from: data)) ?? [:]
  }()
}

/// Runs one committed case: the model file and the data files it names.
func runCase(_ name: String) throws -> (FitModel, FitResult, FeffitProblem) {
  let model = try FitModel(path: fittingFixtures().appendingPathComponent("cases/\(name).model.json").path)
  let data = try model.datasets.map { try FitData.read(path: try #require($0.data)) }
  let result = try feffit(model: model, data: data)
  let prepared = try zip(data, model.datasets).map {
    try PreparedDataset(entry: $1.entry, name: $0.name, source: $0.source, k: $0.k, chi: $0.chi, transform: $1.transform)
  }
  let problem = FeffitProblem(space: ParameterSpace(model: model), datasets: prepared, paths: model.datasets.map(\.paths))
  return (model, result, problem)
}

struct FeffitParityTests {
  static let cases = [
    "tacl6-first-shell", "tacl6-first-shell-k", "tacl6-first-shell-q", "tacl6-kweights", "tacl6-multipath-ms",
    "tacl6-two-datasets",
  ]

  @Test func everyCommittedCaseHasAReference() {
    #expect(Set(FeffitReference.all.keys) == Set(Self.cases))
  }

  /// The residual at the starting values (data, windows, noise, path sum, transforms together).
  @Test(arguments: cases)
  func residualAtStartMatchesLarch(name: String) throws {
    let ref = try #require(FeffitReference.all[name])
    let (_, result, problem) = try runCase(name)
    let r = problem.residualVector(problem.space.start)
    #expect(r.count == ref.residual_start.count)
    let scale = ref.residual_start.map(abs).max() ?? 1
    let worst = zip(r, ref.residual_start).map { abs($0 - $1) }.max() ?? .infinity
    // Reached: below 1.8e-13 of the largest residual on every case.
    #expect(worst <= 1e-11 * scale, "\(name): max |diff| / max |r| = \(worst / scale)")
    for (d, ds) in ref.datasets.enumerated() {
      #expect(abs(result.datasets[d].nIndependent - ds.n_idp) < 1e-12)
      for (a, b) in zip(result.datasets[d].epsilonK, ds.epsilon_k) { #expect(abs(a - b) <= 1e-10 * b, "eps_k \(a) vs \(b)") }
      for (a, b) in zip(result.datasets[d].epsilonR, ds.epsilon_r) { #expect(abs(a - b) <= 1e-10 * b, "eps_r \(a) vs \(b)") }
    }
  }

  /// Best-fit values and uncertainties against Larch's. The issue asks for 0.1 sigma and 2 % in the
  /// R-factor; reached on these cases: values within 3.1e-6 sigma, uncertainties within 2.5e-5 of
  /// Larch's (relative), R-factor and chi-square within 1.1e-10 (relative). Asserted: 1e-4 sigma, 1e-3
  /// and 1e-8 (the optimizers differ: MINPACK lmdif in Larch, GSL trust-region LM here).
  @Test(arguments: cases)
  func fitMatchesLarch(name: String) throws {
    let ref = try #require(FeffitReference.all[name])
    let (_, result, _) = try runCase(name)
    var report: [String] = []
    for (pname, rp) in ref.parameters {
      let mine = try #require(result.parameters[pname], "\(pname) missing")
      let sigma = try #require(rp.stderr)
      let dv = abs(mine.value - rp.value) / sigma
      let du = abs(mine.uncertainty - sigma) / sigma
      report.append("\(pname): dv \(dv) sigma, du \(du)")
      #expect(dv <= 1e-4, "\(name) \(pname): value \(mine.value) vs Larch \(rp.value) +- \(sigma)")
      #expect(du <= 1e-3, "\(name) \(pname): uncertainty \(mine.uncertainty) vs Larch \(sigma)")
    }
    let s = result.statistics
    let rf = try #require(ref.statistics["r_factor"])
    #expect(abs(s.rFactor - rf) <= 1e-8 * rf, "\(name): r-factor \(s.rFactor) vs \(rf)")
    #expect(s.nVariables == Int(ref.statistics["n_variables"] ?? -1))
    #expect(s.nDataPoints == Int(ref.statistics["n_data_points"] ?? -1))
    let chi2 = try #require(ref.statistics["chi_square"])
    #expect(abs(s.chiSquare - chi2) <= 1e-8 * chi2, "\(name): chi-square \(s.chiSquare) vs \(chi2)")
    // Correlations: the same pairs above 0.8, values within 1e-4 (reached: see the message).
    var larchPairs: [String: Double] = [:]
    for (a, p) in ref.parameters where p.vary {
      for (b, c) in p.correl ?? [:] where a < b && abs(c) > 0.8 { larchPairs["\(a)|\(b)"] = c }
    }
    let mine = Dictionary(uniqueKeysWithValues: result.correlations.map { (min($0.first, $0.second) + "|" + max($0.first, $0.second), $0.value) })
    #expect(Set(mine.keys) == Set(larchPairs.keys), "\(name): correlations \(mine) vs Larch \(larchPairs)")
    for (key, c) in larchPairs { #expect(abs((mine[key] ?? .nan) - c) <= 1e-4, "\(name) \(key): \(mine[key] ?? .nan) vs \(c)") }
    // Evaluated path values: R within 1e-6 Å, sigma2 within 1e-7 Å^2, S0^2 within 1e-5, E0 within 1e-4 eV.
    for (d, ds) in ref.datasets.enumerated() {
      for (j, rp) in ds.paths.enumerated() {
        let p = result.datasets[d].paths[j]
        #expect(abs(p.r - rp.r) <= 1e-6 && abs(p.sigma2 - rp.sigma2) <= 1e-7, "\(name) path \(j): r \(p.r) vs \(rp.r), sigma2 \(p.sigma2) vs \(rp.sigma2)")
        #expect(abs(p.s02 - rp.s02) <= 1e-5 && abs(p.e0 - rp.e0) <= 1e-4, "\(name) path \(j): s02 \(p.s02) vs \(rp.s02), e0 \(p.e0) vs \(rp.e0)")
      }
    }
    print("PARITY \(name): rfactor \(s.rFactor) vs \(rf); chi2 \(s.chiSquare) vs \(chi2); " + report.sorted().joined(separator: "; "))
  }
}
