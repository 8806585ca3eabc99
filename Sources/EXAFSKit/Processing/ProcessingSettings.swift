// The parameters of one run of the pipeline, each with where its value came from
import Foundation
// (default, the input file's stored Athena parameters, or the command line).

/// Where a parameter's value came from.
public enum ParameterSource: String, Sendable, Codable {
  case `default` = "default"
  case file = "file"
  case commandLine = "command line"
}

/// Parameter values given by name, as the command line gives them (canonical names below).
///
/// Canonical names: e0, pre1, pre2, norm1, norm2, nnorm (normalization); rbkg, bkg_kweight,
/// bkg_kmin, bkg_kmax, bkg_dk, bkg_window, clamp_lo, clamp_hi, nknots (AUTOBK); kmin, kmax, dk,
/// dk2, window, kweight, rmax_out (Fourier transform). Values are text so that file values and
/// command-line values go through the same checks.
public typealias ParameterValues = [String: String]

/// Athena project parameter names and the canonical names they set.
public let athenaParameterNames: [String: String] = [
  "bkg_e0": "e0", "bkg_pre1": "pre1", "bkg_pre2": "pre2", "bkg_nor1": "norm1", "bkg_nor2": "norm2",
  "bkg_nnorm": "nnorm", "bkg_rbkg": "rbkg", "bkg_kw": "bkg_kweight", "bkg_spl1": "bkg_kmin",
  "bkg_spl2": "bkg_kmax", "bkg_dk": "bkg_dk", "bkg_kwindow": "bkg_window", "bkg_clamp1": "clamp_lo",
  "bkg_clamp2": "clamp_hi", "fft_kmin": "kmin", "fft_kmax": "kmax", "fft_dk": "dk",
  "fft_kwindow": "window", "fft_kw": "kweight", "bkg_step": "step", "rmax_out": "rmax_out",
  "pre_edge_convention": "pre_edge_convention",
]

/// Demeter's named clamp strengths (Athena stores bkg_clamp1/2 as these words).
let athenaClampStrengths: [String: Double] = [
  "none": 0, "slight": 3, "weak": 6, "medium": 12, "strong": 24, "rigid": 96,
]

/// Text layout and quantity of the exported wavelet map.
public struct WaveletExport: Sendable, Codable, Equatable {
  /// Write NAME.wavelet (false: the map is computed and used for metrics and images only).
  public var writeGrid = true
  public var format: WaveletGridFormat = .matrix
  public var part: WaveletPart = .mag
  public init() {}
}

/// Everything the pipeline needs for one spectrum, resolved.
public struct ProcessingSettings: Sendable, Codable, Equatable {
  public var normalization = NormalizationParameters()
  public var autobk = AutobkParameters()
  public var fourier = FTParameters()
  /// Wavelet map to compute (nil: none).
  public var wavelet: WaveletParameters?
  /// Hinge-path metrics to compute (nil: none); they use a Morlet map.
  public var hinge: HingeParameters?
  /// How the wavelet map is exported.
  public var waveletExport = WaveletExport()
  /// Which figures are drawn.
  public var plots = PlotOptions()
  /// Source of each parameter that was set explicitly (absent: default).
  public var sources: [String: ParameterSource] = [:]

  public init() {}

  /// Resolves settings: defaults, overridden by the file's stored Athena parameters, overridden by
  /// the command line. Unknown names are ignored for files and rejected for the command line.
  /// - Throws: `EXAFSError.invalidParameter` for values out of range or not numbers.
  public static func resolve(stored: [String: String], commandLine: ParameterValues) throws
    -> ProcessingSettings
  {
    var s = ProcessingSettings()
    for (athenaName, value) in stored.sorted(by: { $0.key < $1.key }) {
      guard let name = athenaParameterNames[athenaName] else { continue }
      // Athena writes e0 = 0 or empty strings for "not set": keep the default then.
      let trimmed = value.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || (name == "e0" && (Double(trimmed) ?? 0) <= 0) { continue }
      try s.set(name, trimmed, source: .file, label: "\(athenaName) (stored in the file)")
    }
    for (name, value) in commandLine.sorted(by: { $0.key < $1.key }) {
      try s.set(name, value, source: .commandLine, label: "--\(name.replacingOccurrences(of: "_", with: "-"))")
    }
    try s.validate()
    return s
  }

  private mutating func set(_ name: String, _ text: String, source: ParameterSource, label: String) throws {
    func number() throws -> Double {
      if name.hasPrefix("clamp"), let named = athenaClampStrengths[text.lowercased()] { return named }
      guard let v = Double(text), v.isFinite else {
        throw EXAFSError.invalidParameter(label, "'\(text)' is not a number")
      }
      return v
    }
    func window() throws -> FTWindowKind {
      guard let w = FTWindowKind(name: text) else {
        let known = FTWindowKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw EXAFSError.invalidParameter(label, "unknown window '\(text)'; use one of \(known)")
      }
      return w
    }
    switch name {
    case "e0": normalization.e0 = try number()
    case "pre1": normalization.pre1 = try number()
    case "pre2": normalization.pre2 = try number()
    case "norm1": normalization.norm1 = try number()
    case "norm2": normalization.norm2 = try number()
    case "nnorm": normalization.nnorm = Int(try number())
    case "step": normalization.step = try number()
    case "pre_edge_convention":
      guard let convention = NormalizationConvention(rawValue: text) else {
        throw EXAFSError.invalidParameter(label, "'\(text)' is neither larch nor ifeffit")
      }
      normalization.convention = convention
    case "rbkg": autobk.rbkg = try number()
    case "bkg_kweight": autobk.kweight = try number()
    case "bkg_kmin": autobk.kmin = try number()
    case "bkg_kmax": autobk.kmax = try number()
    case "bkg_dk": autobk.dk = try number()
    case "bkg_window": autobk.window = try window()
    case "clamp_lo": autobk.clampLo = try number()
    case "clamp_hi": autobk.clampHi = try number()
    case "nknots": autobk.nknots = Int(try number())
    case "kmin": fourier.kmin = try number()
    case "kmax": fourier.kmax = try number()
    case "dk": fourier.dk = try number()
    case "dk2": fourier.dk2 = try number()
    case "window": fourier.window = try window()
    case "kweight": fourier.kweight = try number()
    case "rmax_out": fourier.rmaxOut = try number()
    default:
      if source == .file { return }
      throw EXAFSError.invalidParameter(label, "unknown parameter")
    }
    sources[name] = source
  }

  /// Rejects combinations that cannot be processed, naming the parameter.
  public func validate() throws {
    func check(_ ok: Bool, _ name: String, _ message: String) throws {
      if !ok { throw EXAFSError.invalidParameter(label(name), message) }
    }
    if let nnorm = normalization.nnorm { try check((0...5).contains(nnorm), "nnorm", "must be 0 ... 5 (polynomial degree), got \(nnorm)") }
    if let p1 = normalization.pre1, let p2 = normalization.pre2 {
      try check(p1 != p2, "pre1", "pre1 and pre2 must differ")
    }
    if let n1 = normalization.norm1, let n2 = normalization.norm2 {
      try check(n1 != n2, "norm1", "norm1 and norm2 must differ")
    }
    try check(autobk.rbkg > 0 && autobk.rbkg < 10, "rbkg", "must be > 0 and < 10 Å, got \(autobk.rbkg)")
    try check(autobk.dk >= 0 && autobk.dk <= 100, "bkg_dk", "must be 0 ... 100 1/Å, got \(autobk.dk)")
    try check(autobk.kmin >= 0 && autobk.kmin <= 100, "bkg_kmin", "must be 0 ... 100 1/Å, got \(autobk.kmin)")
    if let kmax = autobk.kmax { try check(kmax > autobk.kmin, "bkg_kmax", "bkg-kmax (\(kmax)) must be larger than bkg-kmin (\(autobk.kmin))") }
    try check(abs(autobk.kweight) <= 10, "bkg_kweight", "must be between -10 and 10, got \(autobk.kweight)")
    try check(autobk.clampLo >= 0 && autobk.clampHi >= 0, "clamp_lo", "clamps must not be negative")
    if let n = autobk.nknots { try check((5...128).contains(n), "nknots", "must be 5 ... 128, got \(n)") }
    try check(fourier.kmin >= 0 && fourier.kmin <= 100, "kmin", "must be 0 ... 100 1/Å, got \(fourier.kmin)")
    // Upper bounds keep the k grid (kmax + dk2) / kstep points long within memory and Int range.
    if let kmax = fourier.kmax { try check(kmax <= 100, "kmax", "must be at most 100 1/Å, got \(kmax)") }
    if let kmax = fourier.kmax { try check(kmax > fourier.kmin, "kmax", "kmax (\(kmax)) must be larger than kmin (\(fourier.kmin))") }
    try check(fourier.dk >= 0 && fourier.dk <= 100, "dk", "must be 0 ... 100 1/Å, got \(fourier.dk)")
    if let dk2 = fourier.dk2 { try check(dk2 >= 0 && dk2 <= 100, "dk2", "must be 0 ... 100 1/Å, got \(dk2)") }
    try check(fourier.kweight >= 0 && fourier.kweight <= 10, "kweight", "must be between 0 and 10, got \(fourier.kweight)")
    try check(fourier.rmaxOut > 0 && fourier.rmaxOut <= 50, "rmax_out", "must be > 0 and <= 50 Å, got \(fourier.rmaxOut)")
  }

  private func label(_ name: String) -> String {
    sources[name] == .file ? "\(name) (stored in the file)" : "--\(name.replacingOccurrences(of: "_", with: "-"))"
  }
}
