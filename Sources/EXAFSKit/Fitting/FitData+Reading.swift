// The one adapter between path fitting and the processing pipeline: DATA files to chi(k).
import Foundation

extension FitData {
  /// Reads the first spectrum of `path` as `process` reads it: mu(E) is normalized and AUTOBK'd with
  /// the settings resolved from the file's stored parameters and `processing` (canonical names,
  /// as `ProcessingSettings.resolve` takes them); chi(k) files are used as they are.
  public static func read(path: String, options: ReadOptions = ReadOptions(), processing: ParameterValues = [:]) throws
    -> FitData
  {
    guard let input = try SpectrumReader.read(path: path, options: options).first else {
      throw EXAFSError.unusableData(SourceLocation(file: path), "no spectrum found")
    }
    switch input {
    case .chi(let c):
      return FitData(name: c.name, source: c.source, k: c.k, chi: c.chi)
    case .mu:
      let settings = try ProcessingSettings.resolve(stored: input.storedParameters, given: processing)
      let result = try process(input, settings: settings)
      return FitData(name: result.name, source: result.source, k: result.chik.k, chi: result.chik.chi)
    }
  }
}
