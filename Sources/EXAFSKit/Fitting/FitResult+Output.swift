// Writing a fit: NAME.fit.json (parameters, statistics, correlations, paths), NAME.fit.chik, NAME.fit.chir.
import Foundation

/// The JSON summary of a fit (NAME.fit.json).
public struct FitSummary: Sendable, Codable {
  public struct Dataset: Sendable, Codable {
    public var name: String
    public var source: String
    public var transform: FitTransformParameters
    public var epsilonK: [Double]
    public var epsilonR: [Double]
    public var nIndependent: Double
    enum CodingKeys: String, CodingKey {
      case name, source, transform, epsilonK = "epsilon_k", epsilonR = "epsilon_r", nIndependent = "n_independent"
    }
  }
  public var model: String
  public var exafskitVersion: String
  public var parameters: [String: FittedParameter]
  public var statistics: FitStatistics
  public var correlations: [FitCorrelation]
  public var paths: [FittedPath]
  public var datasets: [Dataset]
  public var warnings: [String]
  enum CodingKeys: String, CodingKey {
    case model, exafskitVersion = "exafskit_version", parameters, statistics, correlations, paths, datasets, warnings
  }

  public init(result: FitResult, model: String) {
    self.model = model
    exafskitVersion = exafsKitVersion
    parameters = result.parameters
    statistics = result.statistics
    correlations = result.correlations
    paths = result.datasets.flatMap(\.paths)
    datasets = result.datasets.map {
      Dataset(
        name: $0.name, source: $0.source, transform: $0.transform, epsilonK: $0.epsilonK, epsilonR: $0.epsilonR,
        nIndependent: $0.nIndependent)
    }
    warnings = result.warnings
  }
}

extension FittedDataset {
  /// chi(R) of chi(k) on this dataset's grid, with its fit transform (first k-weight), up to `rmaxOut`.
  public func transformed(_ chi: [Double], rmaxOut: Double = 10) -> ChiR {
    var p = FTParameters()
    p.kmin = transform.kmin
    p.kmax = transform.kmax
    p.dk = transform.dk
    p.dk2 = transform.dk2
    p.window = transform.window
    p.kweight = transform.kweight[0]
    p.rmaxOut = rmaxOut
    p.nfft = transform.nfft
    p.kstep = transform.kstep
    return FourierTransform.forward(k: k, chi: chi, parameters: p)
  }

  /// Text of NAME.fit.chik: k, data, model and each path's chi(k).
  public func chikText() -> String {
    var lines = ["# exafs fit: chi(k) of data, model and paths (\(source))"]
    for (i, p) in paths.enumerated() { lines.append("# path\(i + 1) = \(p.feff) (\(p.label), reff \(p.reff))") }
    lines.append("# k data model " + paths.indices.map { "path\($0 + 1)" }.joined(separator: " "))
    for i in k.indices {
      var row = [k[i], data[i], model[i]]
      for c in pathChi { row.append(c[i]) }
      lines.append(row.map { String(format: "%.10g", $0) }.joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Text of NAME.fit.chir: R, |chi(R)|, Re and Im of the data and the model, |chi(R)| of each path.
  public func chirText() -> String {
    let d = transformed(data), m = transformed(model)
    let ps = pathChi.map { transformed($0).mag }
    let dm = d.mag, mm = m.mag
    var lines = ["# exafs fit: chi(R) (k-weight \(transform.kweight[0]), window \(transform.window.rawValue), "
      + "k \(transform.kmin)-\(transform.kmax)) of data, model and paths (\(source))"]
    lines.append("# r data_mag data_re data_im model_mag model_re model_im " + paths.indices.map { "path\($0 + 1)_mag" }.joined(separator: " "))
    for i in d.r.indices {
      var row = [d.r[i], dm[i], d.re[i], d.im[i], mm[i], m.re[i], m.im[i]]
      for p in ps { row.append(p[i]) }
      lines.append(row.map { String(format: "%.10g", $0) }.joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension FitResult {
  /// Writes NAME.fit.json and, per dataset, NAME.fit.chik and NAME.fit.chir (NAME_DATASET.fit.* when
  /// there are several datasets) into `outdir`, each atomically. Every text is built before the
  /// first file is written. Returns the paths written.
  @discardableResult
  public func write(to outdir: String, name: String, model: String) throws -> [String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json: Data
    do {
      json = try encoder.encode(FitSummary(result: self, model: model))
    } catch {
      throw EXAFSError.numerical("fit summary could not be encoded (a value is not finite): \(error)")
    }
    var files: [(String, String)] = []
    for ds in datasets {
      let stem = datasets.count == 1 ? name : "\(name)_\(SpectrumReader.fileSafeName(ds.name))"
      files.append(((outdir as NSString).appendingPathComponent("\(stem).fit.chik"), ds.chikText()))
      files.append(((outdir as NSString).appendingPathComponent("\(stem).fit.chir"), ds.chirText()))
    }
    let jsonPath = (outdir as NSString).appendingPathComponent("\(name).fit.json")
    try AtomicWriter.write(json, to: jsonPath)
    for (path, text) in files { try AtomicWriter.write(text, to: path) }
    return [jsonPath] + files.map(\.0)
  }
}
