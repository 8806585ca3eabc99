// The parameters of one run of the pipeline, each with where its value came from (default, the
// input file's stored Athena parameters, or the caller such as the command line).
import Foundation

/// Where a parameter's value came from.
public enum ParameterSource: String, Sendable, Codable {
  case `default` = "default"
  case file = "file"
  case commandLine = "command line"
  /// Set by `exafs view` (the interactive viewer).
  case viewer = "viewer"
  /// Given (command line or file) but out of range for the data, so processing used another value
  /// (NAME.json then holds the value used; the warnings say what was given).
  case replaced = "replaced"
}

/// Parameter values given as text, keyed by Larch name (`ProcessingParameter.name`), as the
/// command line and files give them: both go through the same parsing and checks.
public typealias ParameterValues = [String: String]

/// Text layout and quantity of the exported wavelet map.
public struct WaveletExport: Sendable, Codable, Equatable {
  /// Write NAME.wavelet (false: the map is computed and used for metrics and images only).
  public var writeGrid = true
  /// Text layout of NAME.wavelet.
  public var format: WaveletGridFormat = .matrix
  /// Quantity written (|W|, Re W or Im W).
  public var part: WaveletPart = .mag
  public init(writeGrid: Bool = true, format: WaveletGridFormat = .matrix, part: WaveletPart = .mag) {
    self.writeGrid = writeGrid
    self.format = format
    self.part = part
  }
}

/// Everything the pipeline needs for one spectrum.
///
/// The processing parameters (`ProcessingParameter.all`) live in `normalization`, `autobk` and
/// `fourier`; read and write them by parameter with the subscript, which keeps `sources`.
public struct ProcessingSettings: Sendable, Codable, Equatable {
  /// Energy shift added to the energies of mu(E) input before anything else, eV (calibration).
  public var eshift: Double = 0
  public var normalization = NormalizationParameters()
  public var autobk = AutobkParameters()
  public var fourier = FTParameters()
  /// How E0 is found when `e0` is not given (parameter `e0_method`; nil: the derivative maximum).
  public var e0Method: E0MethodChoice?
  /// Back transform chi(R) -> chi(q) (parameters `rmin`, `rmax`, `dr`, `rwindow`; used by NAME.chiq).
  public var backTransform = BackFTParameters()
  /// Wavelet map to compute (nil: none).
  public var wavelet: WaveletParameters?
  /// Hinge-path metrics to compute (nil: none); they use a Morlet map.
  public var hinge: HingeParameters?
  /// How the wavelet map is exported.
  public var waveletExport = WaveletExport()
  /// Source of each parameter that was set explicitly, by Larch name (absent: default).
  public var sources: [String: ParameterSource] = [:]

  public init() {}

  /// The value of `parameter`.
  public subscript(parameter: ProcessingParameter) -> ParameterValue {
    parameter.value(in: self)
  }

  /// Sets `parameter` to `value` after checking its range, and records `source`.
  /// - Throws: `EXAFSError.invalidParameter` naming the parameter.
  public mutating func set(_ parameter: ProcessingParameter, to value: ParameterValue, source: ParameterSource) throws {
    try parameter.check(value)
    parameter.set(&self, value)
    sources[parameter.name] = source
  }

  /// Sets the parameter called `name` (Larch name) from text.
  /// - Throws: `EXAFSError.invalidParameter` for unknown names, text that is not a value, or values
  ///   out of range.
  public mutating func set(_ name: String, text: String, source: ParameterSource) throws {
    guard let parameter = ProcessingParameter.named(name) else {
      throw EXAFSError.invalidParameter(name, "unknown parameter")
    }
    if let value = try parameter.parse(text) { try set(parameter, to: value, source: source) }
  }

  /// Resolves settings: defaults, overridden by the values stored with the input (an Athena
  /// group's parameters, already in our meanings), overridden by `given`; then `validate()`.
  ///
  /// - Parameters:
  ///   - stored: values by Larch name in our meanings, as `SpectrumInput.storedParameters` holds
  ///     them (`AthenaParameters.interpret` converts a group's `@args` with Demeter's rules);
  ///     recorded as `.file`; unknown names are ignored.
  ///   - given: values by Larch name, e.g. from the command line; unknown names are rejected.
  ///   - source: how `given` is recorded in `sources`.
  /// - Throws: `EXAFSError.invalidParameter` naming the parameter (for stored values, saying so).
  public static func resolve(
    stored: [String: String] = [:], given: ParameterValues = [:], source: ParameterSource = .commandLine
  ) throws -> ProcessingSettings {
    var s = ProcessingSettings()
    for (name, text) in stored.sorted(by: { $0.key < $1.key }) {
      guard let parameter = ProcessingParameter.named(name) else { continue }
      do {
        if let value = try parameter.parse(text) { try s.set(parameter, to: value, source: .file) }
      } catch EXAFSError.invalidParameter(let name, let message) {
        let athena = parameter.athenaName.map { " as \($0)" } ?? ""
        throw EXAFSError.invalidParameter("\(name) (stored in the file\(athena))", message)
      }
    }
    for (name, text) in given.sorted(by: { $0.key < $1.key }) {
      try s.set(name, text: text, source: source)
    }
    try s.validate()
    return s
  }

  /// Checks every parameter against its range and the combinations that cannot be processed.
  /// - Throws: `EXAFSError.invalidParameter` naming the parameter (Larch name).
  public func validate() throws {
    for parameter in ProcessingParameter.all {
      do { try parameter.check(self[parameter]) } catch EXAFSError.invalidParameter(let name, let message) {
        throw EXAFSError.invalidParameter(label(name), message)
      }
    }
    func check(_ ok: Bool, _ name: String, _ message: String) throws {
      if !ok { throw EXAFSError.invalidParameter(label(name), message) }
    }
    if let p1 = normalization.pre1, let p2 = normalization.pre2 { try check(p1 != p2, "pre2", "pre1 and pre2 must differ") }
    if let n1 = normalization.norm1, let n2 = normalization.norm2 {
      try check(n1 != n2, "norm2", "norm1 and norm2 must differ")
    }
    if let kmax = autobk.kmax {
      try check(kmax > autobk.kmin, "bkg_kmax", "bkg_kmax (\(kmax)) must be larger than bkg_kmin (\(autobk.kmin))")
    }
    if let kmax = fourier.kmax {
      try check(kmax > fourier.kmin, "kmax", "kmax (\(kmax)) must be larger than kmin (\(fourier.kmin))")
    }
    try check(backTransform.rmax > backTransform.rmin, "rmax", "rmax (\(backTransform.rmax)) must be larger than rmin (\(backTransform.rmin))")
    if let w = wavelet { try w.validate() }
    if let h = hinge { try h.validate() }
  }

  /// A parameter's name for messages, saying when its value came from the file.
  private func label(_ name: String) -> String {
    sources[name] == .file ? "\(name) (stored in the file)" : name
  }
}
