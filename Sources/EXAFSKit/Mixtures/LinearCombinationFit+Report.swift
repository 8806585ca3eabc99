// What `exafs lcf` writes: NAME.lcf.json (weights, E0 shift, statistics, ranking), NAME.lcf.dat and a table.
import Foundation

/// A value with its standard error, written as `{"value": ..., "uncertainty": ...}`.
public struct ValueWithUncertainty: Sendable, Codable, Equatable {
  public var value: Double
  /// Standard error; nil when it could not be estimated.
  public var uncertainty: Double?
  public init(value: Double, uncertainty: Double?) {
    self.value = value
    self.uncertainty = uncertainty.flatMap { $0.isFinite ? $0 : nil }
  }
}

/// A JSON object whose keys keep the given order (names of standards, in the order the user gave).
public struct OrderedJSONObject<Value: Encodable & Sendable>: Encodable, Sendable {
  public var pairs: [(key: String, value: Value)]
  public init(_ pairs: [(key: String, value: Value)]) { self.pairs = pairs }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    for (key, value) in pairs { try container.encode(value, forKey: Key(stringValue: key)) }
  }
}

/// One ranked combination in NAME.lcf.json.
public struct RankedCombination: Encodable, Sendable {
  public var rank: Int
  public var standards: [String]
  public var weights: OrderedJSONObject<ValueWithUncertainty>
  public var weightSum: Double
  public var e0Shift: ValueWithUncertainty?
  public var rFactor: Double
  public var chiSquare: Double
  public var reducedChiSquare: Double

  enum CodingKeys: String, CodingKey {
    case rank, standards, weights, weightSum = "weight_sum", e0Shift = "e0_shift", rFactor = "r_factor"
    case chiSquare = "chi_square", reducedChiSquare = "reduced_chi_square"
  }
}

/// The fit range as written to JSON.
public struct FitRange: Codable, Sendable, Equatable {
  /// Absolute limits, eV or 1/Å.
  public var min: Double
  public var max: Double
  /// "eV" or "1/Å".
  public var unit: String
  /// Limits relative to the sample's E0 (energy spaces only), eV.
  public var relativeMin: Double?
  public var relativeMax: Double?

  enum CodingKeys: String, CodingKey {
    case min, max, unit, relativeMin = "relative_to_e0_min", relativeMax = "relative_to_e0_max"
  }
}

/// The contents of NAME.lcf.json: one record built from the analysis, nothing read back.
public struct LinearCombinationReport: Encodable, Sendable {
  public var exafskitVersion = exafsKitVersion
  public var sample: String
  public var sampleE0: Double
  public var space: MixtureSpace
  public var larchArrayName: String
  public var kweight: Int?
  public var fitRange: FitRange
  public var sumToOne: Bool
  public var varyE0: Bool
  /// [lower, upper] bounds of every weight, nil when unbounded.
  public var weightBounds: [Double]?
  public var standards: [String]
  public var standardsE0: OrderedJSONObject<Double>
  public var weights: OrderedJSONObject<ValueWithUncertainty>
  public var weightSum: Double
  /// Energy shift of the sample (Larch's e0_shift), keyed by the sample's name; empty when not varied.
  public var e0Shifts: OrderedJSONObject<ValueWithUncertainty>
  public var rFactor: Double
  public var chiSquare: Double
  public var reducedChiSquare: Double
  public var pointCount: Int
  public var variableCount: Int
  public var ranking: [RankedCombination]
  public var failedCombinations: [String]
  public var files: [String]
  public var notes: [String]
  public var warnings: [String]

  enum CodingKeys: String, CodingKey {
    case exafskitVersion = "exafskit_version", sample, sampleE0 = "sample_e0", space
    case larchArrayName = "larch_arrayname", kweight, fitRange = "fit_range", sumToOne = "sum_to_one"
    case varyE0 = "vary_e0", weightBounds = "weight_bounds", standards, standardsE0 = "standards_e0", weights, weightSum = "weight_sum"
    case e0Shifts = "e0_shifts", rFactor = "r_factor", chiSquare = "chi_square"
    case reducedChiSquare = "reduced_chi_square", pointCount = "n_points", variableCount = "n_variables"
    case ranking, failedCombinations = "failed_combinations", files, notes, warnings
  }

  /// The report of `analysis` of `sample` by `standards`.
  public init(
    analysis: LinearCombinationAnalysis, sample: MixtureSpectrum, standards: [MixtureSpectrum],
    files: [String] = [], notes: [String] = [], warnings: [String] = []
  ) {
    let p = analysis.parameters
    let fit = analysis.fit
    self.sample = sample.name
    sampleE0 = sample.e0
    space = p.space
    larchArrayName = p.space.larchName(kweight: p.kweight)
    kweight = p.space == .chik ? p.kweight : nil
    let lo = fit.x.first ?? .nan, hi = fit.x.last ?? .nan
    fitRange = FitRange(
      min: lo, max: hi, unit: p.space.isEnergy ? "eV" : "1/Å",
      relativeMin: p.space.isEnergy ? lo - sample.e0 : nil, relativeMax: p.space.isEnergy ? hi - sample.e0 : nil)
    sumToOne = p.sumToOne
    varyE0 = p.varyE0
    weightBounds = p.weightBounds.map { [$0.lowerBound, $0.upperBound] }
    self.standards = fit.standards
    standardsE0 = OrderedJSONObject(standards.map { ($0.name, $0.e0) })
    weights = Self.weights(fit)
    weightSum = fit.weightSum
    e0Shifts = OrderedJSONObject(
      p.varyE0 ? [(sample.name, ValueWithUncertainty(value: fit.e0Shift, uncertainty: fit.e0ShiftUncertainty))] : [])
    rFactor = fit.rFactor
    chiSquare = fit.chiSquare
    reducedChiSquare = fit.reducedChiSquare
    pointCount = fit.pointCount
    variableCount = fit.variableCount
    ranking = analysis.ranking.enumerated().map { i, r in
      RankedCombination(
        rank: i + 1, standards: r.standards, weights: Self.weights(r), weightSum: r.weightSum,
        e0Shift: p.varyE0 ? ValueWithUncertainty(value: r.e0Shift, uncertainty: r.e0ShiftUncertainty) : nil,
        rFactor: r.rFactor, chiSquare: r.chiSquare, reducedChiSquare: r.reducedChiSquare)
    }
    failedCombinations = analysis.failedCombinations.map { "\($0.standards.joined(separator: " + ")): \($0.reason)" }
    self.files = files
    self.notes = notes
    self.warnings = warnings
  }

  static func weights(_ r: LinearCombinationResult) -> OrderedJSONObject<ValueWithUncertainty> {
    OrderedJSONObject(
      r.standards.indices.map { (r.standards[$0], ValueWithUncertainty(value: r.weights[$0], uncertainty: r.uncertainties[$0])) })
  }

  /// Pretty-printed JSON text.
  public func jsonText() throws -> String {
    try prettyJSONText(self)
  }
}

extension LinearCombinationResult {
  /// Columns x, data, fit, residual (data - fit), then each standard times its weight.
  public func columnFileText(header: [String]) -> String {
    let residual = zip(data, fit).map { $0 - $1 }
    return ColumnFileWriter.format(
      header: header, names: ["x", "data", "fit", "residual"] + standards.map { columnName($0) },
      columns: [x, data, fit, residual] + weightedStandards)
  }

  /// Markdown table of ranked fits: rank, standards with weights, R-factor, reduced chi-square.
  public static func rankingTable(_ ranking: [LinearCombinationResult], limit: Int = 20) -> String {
    var lines = ["| rank | weights | sum | R-factor | reduced chi-square |", "|---|---|---|---|---|"]
    for (i, r) in ranking.prefix(limit).enumerated() {
      let weights = r.standards.indices.map {
        "\(r.standards[$0]) \(String(format: "%.4f", r.weights[$0])) ± \(String(format: "%.4f", r.uncertainties[$0]))"
      }.joined(separator: ", ")
      lines.append(
        "| \(i + 1) | \(weights) | \(String(format: "%.4f", r.weightSum)) | \(String(format: "%.4g", r.rFactor)) | "
          + "\(String(format: "%.4g", r.reducedChiSquare)) |")
    }
    if ranking.count > limit { lines.append("| … | \(ranking.count - limit) more in the JSON file | | | |") }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// A column name without spaces (column files separate names by blanks).
private func columnName(_ name: String) -> String {
  String(name.map { $0.isWhitespace ? "_" : $0 })
}
