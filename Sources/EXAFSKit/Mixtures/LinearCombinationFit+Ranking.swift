// Every combination of the standards fitted and ranked by reduced chi-square (Larch's lincombo_fitall).

/// The fit with all the standards and the ranking of every combination of them.
public struct LinearCombinationAnalysis: Sendable, Equatable {
  /// The parameters used.
  public var parameters: LinearCombinationParameters
  /// The fit with every standard given (Larch's `lincombo_fit`).
  public var fit: LinearCombinationResult
  /// Fits of every combination of 2 ... maxComponents standards (1 when only one is allowed),
  /// best (lowest reduced chi-square) first (Larch's `lincombo_fitall`, without its pruning of
  /// combinations whose significant weights repeat an earlier one).
  public var ranking: [LinearCombinationResult]
  /// Combinations that could not be fitted (linearly dependent standards), with the reason.
  public var failedCombinations: [(standards: [String], reason: String)]

  public static func == (a: Self, b: Self) -> Bool {
    a.parameters == b.parameters && a.fit == b.fit && a.ranking == b.ranking
      && a.failedCombinations.map(\.standards) == b.failedCombinations.map(\.standards)
  }
}

/// Fits `sample` by all `standards` and ranks every combination of them.
///
/// The spectra are put on the sample's grid inside [xmin, xmax] (`MixtureMatrix`); each combination
/// is fitted on the same points with `fitLinearCombination`. Combinations have 2 ...
/// `maxComponents` standards (Larch's `lincombo_fitall` starts at 2), or the single standard when
/// only one is given without sum-to-one.
/// - Throws: `EXAFSError` from the matrix or the fit with all standards.
public func analyzeLinearCombinations(
  sample: MixtureSpectrum, standards: [MixtureSpectrum], parameters: LinearCombinationParameters
) throws -> LinearCombinationAnalysis {
  let matrix = try MixtureMatrix([sample] + standards, xmin: parameters.xmin, xmax: parameters.xmax)
  let fit = try fitLinearCombination(
    matrix, sumToOne: parameters.sumToOne, varyE0: parameters.varyE0, bounds: parameters.weightBounds)
  let m = standards.count
  let largest = min(m, max(1, parameters.maxComponents ?? m))
  let smallest = min(largest, parameters.sumToOne ? 2 : (m == 1 ? 1 : 2))
  var ranking: [LinearCombinationResult] = []
  var failed: [(standards: [String], reason: String)] = []
  for size in stride(from: smallest, through: largest, by: 1) {
    for combination in combinations(of: m, choose: size) {
      var sub = matrix
      sub.rows = [matrix.rows[0]] + combination.map { matrix.rows[$0 + 1] }
      sub.names = [matrix.names[0]] + combination.map { matrix.names[$0 + 1] }
      do {
        ranking.append(
          try fitLinearCombination(
            sub, sumToOne: parameters.sumToOne, varyE0: parameters.varyE0, bounds: parameters.weightBounds))
      } catch let error as EXAFSError {
        failed.append((sub.names.dropFirst().map { $0 }, error.description))
      }
    }
  }
  // Stable order: equal reduced chi-square keeps the order of enumeration (smaller sets first).
  ranking = ranking.enumerated().sorted {
    ($0.element.reducedChiSquare, $0.offset) < ($1.element.reducedChiSquare, $1.offset)
  }.map(\.element)
  return LinearCombinationAnalysis(parameters: parameters, fit: fit, ranking: ranking, failedCombinations: failed)
}

/// All k-element subsets of 0..<n in lexicographic order (as Python's itertools.combinations).
func combinations(of n: Int, choose k: Int) -> [[Int]] {
  guard k > 0, k <= n else { return [] }
  var out: [[Int]] = []
  var c = Array(0..<k)
  while true {
    out.append(c)
    var i = k - 1
    while i >= 0, c[i] == n - k + i { i -= 1 }
    if i < 0 { return out }
    c[i] += 1
    for j in (i + 1)..<k { c[j] = c[j - 1] + 1 }
  }
}
