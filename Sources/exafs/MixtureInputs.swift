// Shared pieces of `exafs lcf` and `exafs pca`: reading FILE or FILE#LABEL into spectra of one mixture space.
import EXAFSKit
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

/// `name`, or `name_2`, `name_3` ... if already used; records the result in `used`.
func uniqueLabel(_ name: String, _ used: inout Set<String>) -> String {
  var candidate = name
  var n = 2
  while used.contains(candidate) {
    candidate = "\(name)_\(n)"
    n += 1
  }
  used.insert(candidate)
  return candidate
}

/// Warnings for spectra whose edge is far from the reference's (energy spaces only: chi(k) files carry no E0).
func edgeWarnings(_ spectra: [MixtureSpectrum], reference: MixtureSpectrum) -> [String] {
  guard reference.space.isEnergy else { return [] }
  return spectra.compactMap {
    edgeMismatchWarning(reference: reference.name, referenceE0: reference.e0, other: $0.name, otherE0: $0.e0)
  }
}
