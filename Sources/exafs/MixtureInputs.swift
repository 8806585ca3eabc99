// Shared pieces of `exafs lcf` and `exafs pca`: reading FILE or FILE#LABEL into spectra of one mixture space.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import Foundation

/// The spectra of one argument in `space`, with the warnings of their normalization. `FILE#LABEL`
/// (when no file of that full name exists) picks one group of an Athena project; a project given
/// without a label contributes every group in it. Each spectrum is processed with Larch's defaults
/// overridden by the parameters stored with it (as `exafs process` does).
func mixtureSpectra(_ argument: String, space: MixtureSpace, kweight: Int, mu: String?) throws
  -> ([MixtureSpectrum], [String])
{
  var path = argument
  var groups: [String] = []
  if !FileManager.default.fileExists(atPath: argument), let hash = argument.lastIndex(of: "#") {
    path = String(argument[..<hash])
    groups = [String(argument[argument.index(after: hash)...])]
  }
  let inputs = try SpectrumReader.read(path: path, options: ReadOptions(mu: mu, groups: groups))
  var out: [MixtureSpectrum] = []
  var warnings: [String] = []
  for input in inputs {
    let settings = try ProcessingSettings.resolve(stored: input.storedParameters)
    let made = try MixtureSpectrum.make(from: input, settings: settings, space: space, kweight: kweight)
    out.append(made.spectrum)
    warnings += made.warnings
  }
  return (out, warnings)
}

/// Warnings for spectra whose edge is far from the reference's (energy spaces only: chi(k) files carry no E0).
func edgeWarnings(_ spectra: [MixtureSpectrum], reference: MixtureSpectrum) -> [String] {
  guard reference.space.isEnergy else { return [] }
  return spectra.compactMap {
    edgeMismatchWarning(reference: reference.name, referenceE0: reference.e0, other: $0.name, otherE0: $0.e0)
  }
}

/// The space and range options shared by `lcf` and `pca`.
struct MixtureSpaceOptions: ParsableArguments {
  @Option(help: "What is compared: norm (normalized mu(E)), deriv (d norm/dE) or chik (k^w chi(k)).")
  var space: String = "norm"
  @Option(parsing: .unconditional, help: "Start of the range, eV relative to E0 (default -20, as Athena).")
  var emin: Double?
  @Option(parsing: .unconditional, help: "End of the range, eV relative to E0 (default +30 for lcf, +80 for pca, as Athena).")
  var emax: Double?
  @Option(help: "Start of the range in chik space, 1/Å (default 3).")
  var kmin: Double?
  @Option(help: "End of the range in chik space, 1/Å (default 12).")
  var kmax: Double?
  @Option(help: "k-weight in chik space, 0-3 (default 2).")
  var kweight: Int = 2
  @Option(help: "Figure format: png, svg or pdf (default png).")
  var plotFormat: String = "png"
  @Option(help: "mu as an expression over columns for column files, e.g. 'ln(i0/it)' (as for process).")
  var mu: String?

  var mixtureSpace: MixtureSpace? { MixtureSpace(rawValue: space.lowercased()) }
  var format: PlotFormat { PlotFormat(rawValue: plotFormat.lowercased()) ?? .png }

  /// The range: (kmin, kmax) in chik space, else (e0 + emin, e0 + emax), with the defaults.
  func range(e0: Double, defaultEmax: Double) -> (min: Double, max: Double) {
    mixtureSpace == .chik ? (kmin ?? 3, kmax ?? 12) : (e0 + (emin ?? -20), e0 + (emax ?? defaultEmax))
  }

  /// Rejects an impossible space, range, k-weight, mu expression or figure format.
  func check(defaultEmax: Double) throws {
    guard let s = mixtureSpace else { throw ValidationError("--space must be norm, deriv or chik, got '\(space)'") }
    if s == .chik, emin != nil || emax != nil {
      throw ValidationError("--emin/--emax set an energy range; in chik space use --kmin/--kmax")
    }
    if s != .chik, kmin != nil || kmax != nil {
      throw ValidationError("--kmin/--kmax set a k range; use --space chik, or --emin/--emax for \(s.rawValue)")
    }
    let (lo, hi) = range(e0: 0, defaultEmax: defaultEmax)
    guard lo.isFinite, hi.isFinite, lo < hi else {
      throw ValidationError("the range start (\(lo)) must be below its end (\(hi))")
    }
    if s == .chik, lo < 0 { throw ValidationError("--kmin must not be negative") }
    guard (0...3).contains(kweight) else { throw ValidationError("--kweight must be 0, 1, 2 or 3") }
    if let mu {
      do { _ = try MuExpression(mu) } catch let error as EXAFSError { throw ValidationError(error.commandLineDescription) }
    }
    guard PlotFormat(rawValue: plotFormat.lowercased()) != nil else {
      throw ValidationError("--plot-format must be png, svg or pdf")
    }
  }
}
