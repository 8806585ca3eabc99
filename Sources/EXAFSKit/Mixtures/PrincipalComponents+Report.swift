// What `exafs pca` writes: pca.json (eigenvalues, IND, F-test, components, target transformations) and pca.dat.
import Foundation

/// One target transformation in pca.json.
public struct TargetTransformationRecord: Encodable, Sendable {
  public var name: String
  public var componentCount: Int
  public var weights: [Double]
  public var scale: Double
  public var chiSquare: Double
  public var rFactor: Double

  enum CodingKeys: String, CodingKey {
    case name, componentCount = "n_components", weights, scale, chiSquare = "chi_square", rFactor = "r_factor"
  }
}

/// The components as arrays in pca.json.
public struct ComponentArrays: Encodable, Sendable {
  public var x: [Double]
  public var mean: [Double]
  public var values: [[Double]]
}

/// The contents of pca.json, built from the model and the target transformations.
public struct PrincipalComponentReport: Encodable, Sendable {
  public var exafskitVersion = exafsKitVersion
  public var space: MixtureSpace
  public var larchArrayName: String
  public var kweight: Int?
  public var fitRange: FitRange
  public var spectra: [String]
  public var pointCount: Int
  public var eigenvalues: [Double]
  public var variances: [Double]
  public var cumulativeVariances: [Double]
  public var ind: [Double]
  public var indComponents: Int
  public var fTest: [FTestResult]
  public var fTestComponents: Int
  public var components: ComponentArrays
  public var targetTransformation: [TargetTransformationRecord]
  public var files: [String]
  public var notes: [String]
  public var warnings: [String]

  enum CodingKeys: String, CodingKey {
    case exafskitVersion = "exafskit_version", space, larchArrayName = "larch_arrayname", kweight
    case fitRange = "fit_range", spectra, pointCount = "n_points", eigenvalues, variances
    case cumulativeVariances = "cumulative_variances", ind, indComponents = "n_components_ind"
    case fTest = "f_test", fTestComponents = "n_components_f_test", components
    case targetTransformation = "target_transformation", files, notes, warnings
  }

  public init(
    model: PrincipalComponentModel, kweight: Int, referenceE0: Double?, targets: [TargetTransformation],
    files: [String] = [], notes: [String] = [], warnings: [String] = []
  ) {
    space = model.space
    larchArrayName = model.space.larchName(kweight: kweight)
    self.kweight = model.space == .chik ? kweight : nil
    let lo = model.x.first ?? .nan, hi = model.x.last ?? .nan
    fitRange = FitRange(
      min: lo, max: hi, unit: model.space.isEnergy ? "eV" : "1/Å", relativeMin: referenceE0.map { lo - $0 },
      relativeMax: referenceE0.map { hi - $0 })
    spectra = model.names
    pointCount = model.x.count
    eigenvalues = model.eigenvalues
    variances = model.variances
    var running = 0.0
    cumulativeVariances = model.variances.map { running += $0; return running }
    ind = model.ind
    indComponents = model.indComponents
    fTest = model.fTest
    fTestComponents = model.fTestComponents()
    components = ComponentArrays(x: model.x, mean: model.mean, values: model.components)
    targetTransformation = targets.map {
      TargetTransformationRecord(
        name: $0.name, componentCount: $0.componentCount, weights: $0.weights, scale: $0.scale,
        chiSquare: $0.chiSquare, rFactor: $0.rFactor)
    }
    self.files = files
    self.notes = notes
    self.warnings = warnings
  }

  /// Pretty-printed JSON text (keys sorted, as every EXAFSKit summary).
  public func jsonText() throws -> String {
    try prettyJSONText(self)
  }
}

extension PrincipalComponentModel {
  /// Columns x, mean, component_1 ... component_n.
  public func columnFileText(header: [String]) -> String {
    ColumnFileWriter.format(
      header: header, names: ["x", "mean"] + components.indices.map { "component_\($0 + 1)" },
      columns: [x, mean] + components)
  }
}
