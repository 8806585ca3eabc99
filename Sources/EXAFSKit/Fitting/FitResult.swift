// What a path fit returns: fitted parameters, statistics, correlations, paths and arrays per dataset.
import Foundation

/// Value, uncertainty and starting value of one fitted or derived parameter.
public struct FittedParameter: Sendable, Codable, Equatable {
  public var value: Double
  /// One-sigma uncertainty, Larch's definition (see `feffit`); 0 for fixed values.
  public var uncertainty: Double
  /// Starting value (guesses) or nil (expressions).
  public var initial: Double?
  /// The defining expression (expr parameters).
  public var expr: String?
}

/// Statistics of a fit, as Larch's feffit defines them.
public struct FitStatistics: Sendable, Codable, Equatable {
  public var chiSquare: Double
  public var reducedChiSquare: Double
  public var rFactor: Double
  public var nIndependent: Double
  public var nVariables: Int
  public var nDataPoints: Int
  /// Noise of chi(k) and chi(R) of each dataset (first k-weight).
  public var epsilonK: [Double]
  public var epsilonR: [Double]
  public var aic: Double
  public var bic: Double
  public var iterations: Int
  public var converged: Bool

  enum CodingKeys: String, CodingKey {
    case chiSquare = "chi_square", reducedChiSquare = "reduced_chi_square", rFactor = "r_factor"
    case nIndependent = "n_independent", nVariables = "n_variables", nDataPoints = "n_data_points"
    case epsilonK = "epsilon_k", epsilonR = "epsilon_r", aic, bic, iterations, converged
  }
}

/// A pair of variables whose correlation exceeds the reporting limit.
public struct FitCorrelation: Sendable, Codable, Equatable {
  public var first: String
  public var second: String
  public var value: Double
}

/// A path's evaluated parameters after the fit.
public struct FittedPath: Sendable, Codable, Equatable {
  /// Name of the dataset the path belongs to.
  public var dataset: String
  public var feff: String
  public var label: String
  public var reff: Double
  public var degen: Double
  public var nleg: Int
  public var s02: Double
  public var e0: Double
  public var deltar: Double
  public var sigma2: Double
  public var third: Double
  public var fourth: Double
  public var ei: Double
  /// reff + deltar, Å, and its uncertainty.
  public var r: Double
  public var rUncertainty: Double
  public var sigma2Uncertainty: Double

  enum CodingKeys: String, CodingKey {
    case dataset, feff, label, reff, degen, nleg, s02, e0, deltar, sigma2, third, fourth, ei, r
    case rUncertainty = "r_uncertainty", sigma2Uncertainty = "sigma2_uncertainty"
  }
}

/// The arrays of one fitted dataset (for NAME.fit.chik / .chir and plots).
public struct FittedDataset: Sendable {
  public var name: String
  public var source: String
  public var transform: FitTransformParameters
  public var k: [Double]
  public var data: [Double]
  public var model: [Double]
  /// chi(k) of each path at the best fit.
  public var pathChi: [[Double]]
  public var paths: [FittedPath]
  public var epsilonK: [Double]
  public var epsilonR: [Double]
  public var nIndependent: Double
}

/// Everything a fit produces.
public struct FitResult: Sendable {
  /// Every guess and expr parameter, by name.
  public var parameters: [String: FittedParameter]
  public var statistics: FitStatistics
  /// Variable pairs with |correlation| > 0.8, largest first.
  public var correlations: [FitCorrelation]
  public var datasets: [FittedDataset]
  /// Things to check (unused guesses fixed, fit stopped at the iteration limit).
  public var warnings: [String]
}

/// chi(k) data of one dataset: name, file, k (1/Å, increasing) and chi.
public struct FitData: Sendable {
  public var name: String
  public var source: String
  public var k: [Double]
  public var chi: [Double]

  public init(name: String, source: String, k: [Double], chi: [Double]) {
    self.name = name; self.source = source; self.k = k; self.chi = chi
  }
}
