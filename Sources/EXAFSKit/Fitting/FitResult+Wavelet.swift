// Morlet maps of a fitted model: data, model, residual and each group of paths, with the parameters of `process --wavelet morlet`.
import Foundation

/// The Morlet maps of a fit, all with the same parameters.
public struct ModelWaveletMaps: Sendable {
  public var data: WaveletMap
  public var model: WaveletMap
  /// Map of data − model (equal to data's map − model's map: the transform is linear).
  public var residual: WaveletMap
  /// One map per group of paths (when the groups partition the model, they sum to its map).
  public var groups: [(name: String, map: WaveletMap)]

  /// Maps of `data`, `model`, data − model and each group's chi(k), all on the grid `k` (1/Å).
  /// - Throws: `EXAFSError.invalidParameter` when the k range has too few points for a map.
  public init(k: [Double], data: [Double], model: [Double], groups: [(String, [Double])], parameters p: WaveletParameters) throws {
    func map(_ chi: [Double]) throws -> WaveletMap { try WaveletTransform.map(k: k, chi: chi, parameters: p) }
    self.data = try map(data)
    self.model = try map(model)
    residual = try map(zip(data, model).map { $0 - $1 })
    self.groups = try groups.map { ($0.0, try map($0.1)) }
  }
}

extension FitTransformParameters {
  /// The Morlet parameters for maps of a fit: `process --wavelet morlet`'s defaults (eta 10, sigma 1,
  /// funke normalization, R up to 6 Å, sharp k cut, R step pi/(0.05 · 2048)) with this transform's
  /// first k-weight, k range and k step, as `process` takes the FT window's k range for its map.
  public var waveletParameters: WaveletParameters {
    var p = WaveletParameters()
    p.kind = .morlet
    p.kweight = kweight[0]
    p.kmin = kmin
    p.kmax = kmax
    p.kstep = kstep
    return p
  }
}

extension FittedDataset {
  /// Maps of this dataset's data, model, residual and each path (named by label and reff).
  /// - Throws: `EXAFSError.invalidParameter` when the fit's k range has too few points for a map.
  public func waveletMaps() throws -> ModelWaveletMaps {
    try ModelWaveletMaps(
      k: k, data: data, model: model,
      groups: zip(paths, pathChi).map { p, c in ("\(p.label.isEmpty ? p.feff : p.label) \(String(format: "%.3f", p.reff)) Å", c) },
      parameters: transform.waveletParameters)
  }
}
