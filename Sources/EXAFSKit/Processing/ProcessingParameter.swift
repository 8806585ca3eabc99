// The processing parameters, each declared once: names in Larch, Athena and on the command line,
// unit, default, allowed range, help, and where its value lives in `ProcessingSettings`.
import Foundation

/// The pipeline stage a parameter belongs to.
public enum ProcessingStage: String, Sendable, Codable, CaseIterable {
  /// E0 and pre-/post-edge normalization (Larch `pre_edge`).
  case normalization
  /// AUTOBK background removal (Larch `autobk`).
  case background
  /// Forward Fourier transform (Larch `xftf`).
  case fourier
  /// Back transform chi(R) -> chi(q) (Larch `xftr`).
  case backTransform = "back transform"
}

/// How Demeter (Athena) writes a parameter into a project's `@args`. `AthenaParameters.interpret`
/// reads each encoding; `ProcessingParameter.athenaText` writes it.
public enum AthenaEncoding: Sendable, Equatable {
  /// A plain number with the same meaning and unit as ours.
  case number
  /// An edge energy in eV; zero, empty or below -10000 mean "not set" (Demeter writes 0, and its
  /// Larch template drops e0 below -10000).
  case edgeEnergy
  /// The number of terms of the post-edge polynomial: Demeter's templates pass
  /// `nnorm = bkg_nnorm - 1` to the backend, so 3 means quadratic (our and Larch's nnorm 2).
  case polynomialTerms
  /// A clamp strength: a number (truncated to an integer, as Demeter does) or one of Demeter's
  /// words none 0, slight 3, weak 6, medium 12, strong 24, rigid 96.
  case clampStrength
  /// A window name as Demeter spells it (`hanning`, `kaiser-bessel`, `welch`, `parzen`, `sine`,
  /// `gaussian`, any case).
  case windowName
  /// A spline boundary k (1/Å); when absent or not a number, taken from the energy form named here
  /// (eV above E0; k = sqrt((E - E0)/KTOE)), which Demeter keeps in step with it.
  case splineK(energyName: String)
  /// A taper width (1/Å) for the window stored under `windowName`; 0 with a Kaiser-Bessel window
  /// becomes 0.1 (Demeter's Larch template: a Kaiser window of width 0 is zero everywhere).
  case taperWidth(windowName: String)
  /// The fixed edge step: a parameter only when the flag named here is true; otherwise the stored
  /// value is Athena's fitted result.
  case fixedStep(flag: String)
}

/// The value of one parameter in `ProcessingSettings`.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
  /// A real number (nil: determined from the data).
  case real(Double?)
  /// An integer (nil: determined from the data).
  case integer(Int?)
  /// A window function.
  case window(FTWindowKind)
  /// One of a fixed set of words (`ProcessingParameter.Kind.choice`); nil: the default.
  case choice(String?)

  public var description: String {
    switch self {
    case .real(let v): return v.map { String(describing: $0) } ?? "automatic"
    case .integer(let v): return v.map(String.init) ?? "automatic"
    case .window(let w): return w.rawValue
    case .choice(let c): return c ?? "default"
    }
  }
}

/// One processing parameter. Every table that lists parameters (the command-line options, the
/// checks of `ProcessingSettings.validate()`, the `parameters` record of `NAME.json`, the Athena
/// reader and writer, the table in `Docs/pipeline.md`) is derived from `ProcessingParameter.all`.
public struct ProcessingParameter: Sendable, Hashable, Identifiable, CustomStringConvertible {
  /// The kind of value, which decides how text is parsed.
  public enum Kind: Sendable, Equatable {
    case real
    case integer
    case window
    /// One of these words.
    case choice([String])
  }

  /// Larch's name (the keyword of `pre_edge`, `autobk` or `xftf`; AUTOBK's own k range, k-weight,
  /// window and taper are prefixed `bkg_`). The canonical name: `NAME.json` and errors use it.
  public let name: String
  public let stage: ProcessingStage
  public let kind: Kind
  /// Name in an Athena project's `@args`, and how Demeter encodes it (nil: Athena has none).
  public let athenaName: String?
  public let athenaEncoding: AthenaEncoding
  /// Where in Demeter's sources (bruceravel/demeter) the meaning of `athenaName` comes from.
  public let athenaSource: String?
  /// Unit of the value ("eV", "1/Å", "Å", or "" for pure numbers).
  public let unit: String
  /// The default, as a sentence fragment ("1", "end of data", "maximum of the derivative").
  public let defaultText: String
  /// Allowed values (inclusive), nil for windows; `lowerOpen`/`upperOpen` exclude the ends.
  public let range: ClosedRange<Double>?
  public let lowerOpen: Bool
  public let upperOpen: Bool
  /// One line of help for people.
  public let help: String
  let get: @Sendable (ProcessingSettings) -> ParameterValue
  let set: @Sendable (inout ProcessingSettings, ParameterValue) -> Void

  public var id: String { name }
  public var description: String { name }
  public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
  public func hash(into hasher: inout Hasher) { hasher.combine(name) }

  /// The command-line option, `--` plus the name with `-` for `_` (`bkg_kweight` -> `--bkg-kweight`).
  public var flag: String { "--" + name.replacingOccurrences(of: "_", with: "-") }

  /// The Swift property name of a command-line option struct for this parameter (`bkgKweight`).
  public var propertyName: String {
    let parts = name.split(separator: "_")
    return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
  }

  /// Help text with unit and default, as the command line shows it.
  public var helpWithDefault: String {
    let unitText = unit.isEmpty ? "" : ", \(unit)"
    return "\(help)\(unitText) (default: \(defaultText))."
  }

  /// The allowed range in words ("0 ... 100 1/Å", "> 0 and < 10 Å").
  public var rangeText: String {
    if case .choice(let words) = kind { return words.joined(separator: ", ") }
    guard let range else { return FTWindowKind.allCases.map(\.rawValue).joined(separator: ", ") }
    let u = unit.isEmpty ? "" : " \(unit)"
    func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
    if !lowerOpen && !upperOpen { return "\(n(range.lowerBound)) ... \(n(range.upperBound))\(u)" }
    let lo = lowerOpen ? "> \(n(range.lowerBound))" : ">= \(n(range.lowerBound))"
    let hi = upperOpen ? "< \(n(range.upperBound))" : "<= \(n(range.upperBound))"
    return "\(lo) and \(hi)\(u)"
  }

  /// The value of this parameter in `settings`.
  public func value(in settings: ProcessingSettings) -> ParameterValue { get(settings) }

  /// Parses `text` (from the command line, or a stored value already in our meaning) into this
  /// parameter's value; nil for empty text.
  /// - Throws: `EXAFSError.invalidParameter` naming this parameter.
  public func parse(_ text: String) throws -> ParameterValue? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if t.isEmpty { return nil }
    switch kind {
    case .window:
      guard let w = FTWindowKind(name: t) else {
        let known = FTWindowKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw EXAFSError.invalidParameter(name, "unknown window '\(t)'; use one of \(known)")
      }
      return .window(w)
    case .choice(let words):
      guard let word = words.first(where: { $0 == t.lowercased() }) else {
        throw EXAFSError.invalidParameter(name, "'\(t)' is not one of \(words.joined(separator: ", "))")
      }
      return .choice(word)
    case .real, .integer:
      guard let number = Double(t), number.isFinite else {
        throw EXAFSError.invalidParameter(name, "'\(t)' is not a number")
      }
      if kind == .integer {
        guard number == number.rounded(), abs(number) < 1e9 else {
          throw EXAFSError.invalidParameter(name, "must be a whole number, got \(t)")
        }
        return .integer(Int(number))
      }
      return .real(number)
    }
  }

  /// The value as Demeter writes it into `@args` (nil when not set).
  public func athenaText(_ value: ParameterValue) -> String? {
    switch value {
    case .window(let w): return w == .kaiser ? "kaiser-bessel" : w.rawValue
    case .choice(let c): return c
    case .integer(let v):
      guard let v else { return nil }
      return String(athenaEncoding == .polynomialTerms ? v + 1 : v)
    case .real(let v):
      guard let v, v.isFinite else { return nil }
      return String(format: "%.10g", v)
    }
  }

  /// Throws unless `value` lies in `range`; the message names the parameter, its unit and range.
  public func check(_ value: ParameterValue) throws {
    guard let range else { return }
    let x: Double
    switch value {
    case .real(let v?): x = v
    case .integer(let v?): x = Double(v)
    default: return
    }
    let ok =
      (lowerOpen ? x > range.lowerBound : x >= range.lowerBound)
      && (upperOpen ? x < range.upperBound : x <= range.upperBound)
    if !ok {
      let shown = kind == .integer ? String(Int(x)) : String(x)
      throw EXAFSError.invalidParameter(name, "must be \(rangeText), got \(shown)")
    }
  }

  /// Demeter's named clamp strengths (Athena stores bkg_clamp1/2 as these words).
  package static let clampWords: [String: Double] = [
    "none": 0, "slight": 3, "weak": 6, "medium": 12, "strong": 24, "rigid": 96,
  ]
}

extension ProcessingParameter {
  /// The parameter called `name` (Larch's name), if there is one.
  public static func named(_ name: String) -> ProcessingParameter? { byName[name] }

  static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

  /// A real-valued parameter stored at `path`.
  static func real(
    _ name: String, _ stage: ProcessingStage, athena: String?, _ encoding: AthenaEncoding = .number, demeter: String? = nil, unit: String,
    default defaultText: String, range: ClosedRange<Double>, open: (Bool, Bool) = (false, false), help: String,
    _ path: WritableKeyPath<ProcessingSettings, Double> & Sendable
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .real, athenaName: athena, athenaEncoding: encoding, athenaSource: demeter, unit: unit,
      defaultText: defaultText, range: range, lowerOpen: open.0, upperOpen: open.1, help: help,
      get: { .real($0[keyPath: path]) },
      set: { s, v in if case .real(let x?) = v { s[keyPath: path] = x } })
  }

  /// A real-valued parameter that may be left to the data (nil).
  static func optionalReal(
    _ name: String, _ stage: ProcessingStage, athena: String?, _ encoding: AthenaEncoding = .number, demeter: String? = nil, unit: String,
    default defaultText: String, range: ClosedRange<Double>, open: (Bool, Bool) = (false, false), help: String,
    _ path: WritableKeyPath<ProcessingSettings, Double?> & Sendable
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .real, athenaName: athena, athenaEncoding: encoding, athenaSource: demeter, unit: unit,
      defaultText: defaultText, range: range, lowerOpen: open.0, upperOpen: open.1, help: help,
      get: { .real($0[keyPath: path]) },
      set: { s, v in if case .real(let x) = v { s[keyPath: path] = x } })
  }

  /// An integer parameter (nil: from the data).
  static func integer(
    _ name: String, _ stage: ProcessingStage, athena: String?, _ encoding: AthenaEncoding = .number, demeter: String? = nil, unit: String = "",
    default defaultText: String, range: ClosedRange<Double>, help: String,
    get: @escaping @Sendable (ProcessingSettings) -> Int?, set: @escaping @Sendable (inout ProcessingSettings, Int?) -> Void
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .integer, athenaName: athena, athenaEncoding: encoding, athenaSource: demeter, unit: unit,
      defaultText: defaultText, range: range, lowerOpen: false, upperOpen: false, help: help,
      get: { .integer(get($0)) },
      set: { s, v in if case .integer(let x) = v { set(&s, x) } })
  }

  /// A window-function parameter.
  static func window(
    _ name: String, _ stage: ProcessingStage, athena: String?, demeter: String? = nil, default defaultText: String,
    help: String, _ path: WritableKeyPath<ProcessingSettings, FTWindowKind> & Sendable
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .window, athenaName: athena, athenaEncoding: .windowName, athenaSource: demeter, unit: "",
      defaultText: defaultText, range: nil, lowerOpen: false, upperOpen: false, help: help,
      get: { .window($0[keyPath: path]) },
      set: { s, v in if case .window(let w) = v { s[keyPath: path] = w } })
  }

  /// A parameter that takes one of `words` (nil: the default).
  static func choice(
    _ name: String, _ stage: ProcessingStage, words: [String], default defaultText: String, help: String,
    get: @escaping @Sendable (ProcessingSettings) -> String?, set: @escaping @Sendable (inout ProcessingSettings, String?) -> Void
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .choice(words), athenaName: nil, athenaEncoding: .number, athenaSource: nil,
      unit: "", defaultText: defaultText, range: nil, lowerOpen: false, upperOpen: false, help: help,
      get: { .choice(get($0)) },
      set: { s, v in if case .choice(let c) = v { set(&s, c) } })
  }
}
