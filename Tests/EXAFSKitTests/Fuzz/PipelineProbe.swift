// PipelineProbe: runs one input file through the library path of `exafs process` and checks the contract of issue 6.
import Foundation

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// Runs a file through `SpectrumReader.read`, `ProcessingSettings.resolve`, `process` and
/// `outputFiles` (what `exafs process` does, minus the writing) and checks that every spectrum
/// either comes out with finite numbers or stops with an `EXAFSError` that names the file.
enum PipelineProbe {
  /// What happened to one input.
  struct Result {
    /// One entry per spectrum or per failure: `processed`, or the `EXAFSError` case name.
    var outcomes: [String] = []
    /// Breaches of the contract (a foreign error type, an error without the file, NaN outputs).
    var problems: [String] = []
    /// The message of each error, in the order of `outcomes` (empty for processed spectra).
    var messages: [String] = []
  }

  /// Probes the file at `path` with the given read options and command-line parameters.
  static func run(path: String, options: ReadOptions = ReadOptions(), commandLine: ParameterValues = [:]) -> Result {
    var result = Result()
    _ = try? SpectrumReader.info(path: path)  // `exafs info` must survive the same input
    let spectra: [SpectrumInput]
    do {
      spectra = try SpectrumReader.read(path: path, options: options)
    } catch {
      record(error, path: path, into: &result)
      return result
    }
    for spectrum in spectra {
      do {
        let settings = try ProcessingSettings.resolve(stored: storedParameters(spectrum), given: commandLine)
        let processed = try process(spectrum, settings: settings)
        if let bad = nonFiniteOutput(processed) {
          result.problems.append("\(spectrum.name): processed without error but \(bad) is not finite")
        }
        _ = try processed.outputFiles()
        result.outcomes.append("processed")
        result.messages.append("")
      } catch {
        record(error, path: path, into: &result)
      }
    }
    return result
  }

  /// The name of the `EXAFSError` case, e.g. `malformed`.
  static func kind(_ error: EXAFSError) -> String {
    switch error {
    case .unreadable: return "unreadable"
    case .malformed: return "malformed"
    case .unusableData: return "unusableData"
    case .tooLarge: return "tooLarge"
    case .invalidParameter: return "invalidParameter"
    case .numerical: return "numerical"
    case .writeFailed: return "writeFailed"
    }
  }

  private static func record(_ error: any Error, path: String, into result: inout Result) {
    guard let error = error as? EXAFSError else {
      result.outcomes.append("foreign error")
      result.messages.append("\(error)")
      result.problems.append("threw \(type(of: error)), not EXAFSError: \(error)")
      return
    }
    result.outcomes.append(kind(error))
    result.messages.append(error.description)
    if let location = error.location, location.file != path {
      result.problems.append("the error names \(location.file), not \(path): \(error)")
    }
    if let line = error.location?.line, line < 1 {
      result.problems.append("the error names line \(line): \(error)")
    }
  }

  private static func storedParameters(_ input: SpectrumInput) -> [String: String] {
    switch input {
    case .mu(let s): return s.storedParameters
    case .chi(let c): return c.storedParameters
    }
  }

  /// The first output array holding NaN or infinity, by name.
  static func nonFiniteOutput(_ p: ProcessedSpectrum) -> String? {
    var arrays: [(String, [Double])] = [("chi(k)", p.chik.chi), ("chi(R) re", p.chir.re), ("chi(R) im", p.chir.im)]
    if let n = p.normalized {
      arrays += [
        ("e0", [n.e0]), ("edge step", [n.edgeStep]), ("norm", n.norm), ("flat", n.flat), ("pre-edge", n.preEdge),
        ("post-edge", n.postEdge),
      ]
    }
    if let bkg = p.chik.background { arrays.append(("background", bkg)) }
    return arrays.first { !$0.1.allSatisfy(\.isFinite) }?.0
  }
}
