// The processing pipeline for one spectrum: mu(E) -> normalization -> AUTOBK -> chi(k) -> chi(R).
import Foundation

/// Version of EXAFSKit, written into every summary.
public let exafsKitVersion = "0.1.0"

/// The result of processing one spectrum.
public struct ProcessedSpectrum: Sendable {
  /// Output name (file stem or group label).
  public var name: String
  /// Source file.
  public var source: String
  /// Metadata of the input.
  public var metadata: [String: String]
  /// Normalized mu(E); nil for chi(k) input.
  public var normalized: NormalizedSpectrum?
  /// chi(k) (from AUTOBK, or as read).
  public var chik: ChiK
  /// Forward Fourier transform.
  public var chir: ChiR
  /// Wavelet map of k^w chi(k), when requested.
  public var wavelet: WaveletMap?
  /// Hinge-path metrics, when requested.
  public var hinge: HingeMetrics?
  /// Parameters used, with sources.
  public var settings: ProcessingSettings
  /// How the input was read and repaired (mu expression chosen, sorting, keV converted ...).
  public var notes: [String]
  /// Things the user should check (fit not converged, window beyond the data ...).
  public var warnings: [String]

  /// Creates the value from its parts (memberwise).
  public init(name: String, source: String, metadata: [String: String], normalized: NormalizedSpectrum? = nil, chik: ChiK, chir: ChiR, wavelet: WaveletMap? = nil, hinge: HingeMetrics? = nil, settings: ProcessingSettings, notes: [String], warnings: [String]) {
    self.name = name
    self.source = source
    self.metadata = metadata
    self.normalized = normalized
    self.chik = chik
    self.chir = chir
    self.wavelet = wavelet
    self.hinge = hinge
    self.settings = settings
    self.notes = notes
    self.warnings = warnings
  }
}

/// Runs the pipeline on one input.
///
/// mu(E) input: `normalize`, then `autobk`, then `FourierTransform.forward` of chi(k).
/// chi(k) input: straight to the transform (no normalization or background).
/// Then the wavelet map and hinge metrics that `settings` ask for.
/// - Throws: `EXAFSError.invalidParameter` (naming the parameter by its Larch name) when
///   `settings.validate()` fails, before any work; otherwise `EXAFSError` from any stage.
public func process(_ input: SpectrumInput, settings: ProcessingSettings) throws -> ProcessedSpectrum {
  try settings.validate()
  switch input {
  case .mu(var spectrum):
    if settings.eshift != 0 {
      spectrum.energy = spectrum.energy.map { $0 + settings.eshift }
      spectrum.notes.append("energies shifted by eshift = \(fmt(settings.eshift)) eV before processing (calibration)")
    }
    var normalization = settings.normalization
    if normalization.e0 == nil, let method = settings.e0Method, method != .derivative {
      normalization.e0 = try method.e0(of: spectrum, normalization: normalization)
    }
    let normalized = try normalize(spectrum, parameters: normalization)
    var warnings: [String] = normalizationWarnings(normalized)  // Issue 17: inverted mu(E) and the like.
    let chik = try autobk(normalized, parameters: settings.autobk)
    try checkDataReachTransform(kLast: chik.k.last, settings: settings, what: "mu(E)", source: spectrum.source)
    if !chik.converged {
      warnings.append("AUTOBK: the background fit stopped at its iteration limit; check rbkg and the k range")
    }
    var used = settings
    used.normalization = normalized.parameters
    used.autobk = chik.parameters ?? settings.autobk
    warnings += used.markReplaced(given: settings)  // issue 15: never recorded as given when replaced
    let chir = FourierTransform.forward(k: chik.k, chi: chik.chi, parameters: settings.fourier)
    used.fourier = chir.parameters
    if let kmax = chir.parameters.kmax, let kLast = chik.k.last, kmax > kLast + 1e-9 {
      warnings.append("FT kmax \(fmt(kmax)) 1/Å is beyond the data (last k = \(fmt(kLast)) 1/Å)")
    }
    var result = ProcessedSpectrum(
      name: spectrum.name, source: spectrum.source, metadata: spectrum.metadata, normalized: normalized,
      chik: chik, chir: chir, settings: used, notes: spectrum.notes, warnings: warnings)
    try result.addWaveletAndHinge()
    return result
  case .chi(let c):
    guard c.k.count >= 10 else {
      throw EXAFSError.unusableData(SourceLocation(file: c.source), "chi(k) has only \(c.k.count) points")
    }
    try checkDataReachTransform(kLast: c.k.last, settings: settings, what: "chi(k)", source: c.source)
    let chir = FourierTransform.forward(k: c.k, chi: c.chi, parameters: settings.fourier)
    var used = settings
    used.fourier = chir.parameters
    let chik = ChiK(k: c.k, chi: c.chi, background: nil, e0: nil, parameters: nil)
    var result = ProcessedSpectrum(
      name: c.name, source: c.source, metadata: c.metadata, normalized: nil, chik: chik, chir: chir,
      settings: used, notes: c.notes, warnings: [])
    try result.addWaveletAndHinge()
    return result
  }
}

/// Throws `.unusableData` unless the data reach 1 1/Å past the transform's kmin: short of that
/// there is no EXAFS to transform (mu(E) that ends just past the edge, a truncated chi(k)).
private func checkDataReachTransform(
  kLast: Double?, settings: ProcessingSettings, what: String, source: String
) throws {
  let needed = settings.fourier.kmin + 1
  guard let kLast, kLast > needed else {
    throw EXAFSError.unusableData(
      SourceLocation(file: source),
      "too few data past the edge: \(what) reaches only k = \(fmt(kLast ?? 0)) 1/Å, but the Fourier transform "
        + "needs data to kmin + 1 = \(fmt(needed)) 1/Å (\(fmt(needed * needed * KTOE)) eV above E0)")
  }
}

extension ProcessedSpectrum {
  /// chi(k) on the uniform grid k = i kstep from 0 (AUTOBK output already is; chi files are
  /// interpolated linearly, as Larch's xftf does).
  public func uniformChi(kstep: Double = 0.05) -> (k: [Double], chi: [Double]) {
    let kLast = chik.k.last ?? 0
    let n = Int(1.01 + kLast / kstep)
    let grid = (0..<n).map { Double($0) * kstep }
    if grid.count == chik.k.count, zip(grid, chik.k).allSatisfy({ abs($0 - $1) < 1e-9 }) {
      return (chik.k, chik.chi)
    }
    return (grid, linearInterpolate(x: chik.k, y: chik.chi, at: grid))
  }

  /// Computes the wavelet map and the hinge metrics that the settings ask for.
  mutating func addWaveletAndHinge() throws {
    guard settings.wavelet != nil || settings.hinge != nil else { return }
    let (k, chi) = uniformChi()
    if let wp = settings.wavelet {
      // Issue 17: by default the map covers the FT window's k range (kmin ... kmax as used).
      var mapParameters = wp
      if mapParameters.kmin == nil { mapParameters.kmin = chir.parameters.kmin }
      if mapParameters.kmax == nil { mapParameters.kmax = chir.parameters.kmax }
      wavelet = try WaveletTransform.map(k: k, chi: chi, parameters: mapParameters)
    }
    if let hp = settings.hinge {
      var mp = settings.wavelet ?? WaveletParameters()
      if mp.kind != .morlet {
        mp = WaveletParameters()
        mp.kweight = settings.wavelet?.kweight ?? settings.fourier.kweight
      }
      hinge = try hingeMetrics(k: k, chi: chi, wavelet: mp, ft: settings.fourier, parameters: hp)
    }
  }
}
