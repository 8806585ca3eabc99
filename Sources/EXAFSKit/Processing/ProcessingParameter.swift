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
}

/// How Demeter (Athena) writes a parameter into a project's `@args`.
public enum AthenaEncoding: Sendable, Equatable {
  /// A plain number, in the same unit as ours.
  case number
  /// A plain number for which 0 or an empty string means "not set" (Athena's `bkg_e0`).
  case numberZeroUnset
  /// The number of terms of the post-edge polynomial: Demeter's templates pass
  /// `nnorm = bkg_nnorm - 1` to the backend, so 3 means quadratic (our and Larch's nnorm 2).
  case polynomialTerms
  /// A clamp strength, stored as a number or as one of Demeter's words
  /// (none 0, slight 3, weak 6, medium 12, strong 24, rigid 96).
  case clampStrength
  /// A window name as Demeter spells it (`hanning`, `kaiser-bessel`, `welch`, `parzen`, `sine`,
  /// `gaussian`).
  case windowName
}

/// The value of one parameter in `ProcessingSettings`.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
  /// A real number (nil: determined from the data).
  case real(Double?)
  /// An integer (nil: determined from the data).
  case integer(Int?)
  /// A window function.
  case window(FTWindowKind)

  public var description: String {
    switch self {
    case .real(let v): return v.map { String(describing: $0) } ?? "automatic"
    case .integer(let v): return v.map(String.init) ?? "automatic"
    case .window(let w): return w.rawValue
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
  }

  /// Larch's name (the keyword of `pre_edge`, `autobk` or `xftf`; AUTOBK's own k range, k-weight,
  /// window and taper are prefixed `bkg_`). The canonical name: `NAME.json` and errors use it.
  public let name: String
  public let stage: ProcessingStage
  public let kind: Kind
  /// Name in an Athena project's `@args`, and how Demeter encodes it (nil: Athena has none).
  public let athenaName: String?
  public let athenaEncoding: AthenaEncoding
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

  /// Parses `text` (from the command line or a file) into this parameter's value.
  ///
  /// - Parameter athena: text as stored in an Athena project: decoded with `athenaEncoding`.
  /// - Returns: nil when the text means "not set" (Athena's empty strings and `bkg_e0 = 0`).
  /// - Throws: `EXAFSError.invalidParameter` naming this parameter.
  public func parse(_ text: String, athena: Bool = false) throws -> ParameterValue? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if athena && t.isEmpty { return nil }
    switch kind {
    case .window:
      guard let w = FTWindowKind(name: t) else {
        let known = FTWindowKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw EXAFSError.invalidParameter(name, "unknown window '\(t)'; use one of \(known)")
      }
      return .window(w)
    case .real, .integer:
      var number: Double
      if let named = Self.clampWords[t.lowercased()], athena || athenaEncoding == .clampStrength {
        guard athenaEncoding == .clampStrength else {
          throw EXAFSError.invalidParameter(name, "'\(t)' is not a number")
        }
        number = named
      } else {
        guard let v = Double(t), v.isFinite else {
          throw EXAFSError.invalidParameter(name, "'\(t)' is not a number")
        }
        number = v
      }
      if athena {
        switch athenaEncoding {
        case .numberZeroUnset where number <= 0: return nil
        case .polynomialTerms: number -= 1
        default: break
        }
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
  static let clampWords: [String: Double] = [
    "none": 0, "slight": 3, "weak": 6, "medium": 12, "strong": 24, "rigid": 96,
  ]
}

extension ProcessingParameter {
  /// The parameter called `name` (Larch's name), if there is one.
  public static func named(_ name: String) -> ProcessingParameter? { byName[name] }

  /// The parameter stored under `athenaName` in Athena projects, if any.
  public static func athenaNamed(_ athenaName: String) -> ProcessingParameter? { byAthenaName[athenaName] }

  static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
  static let byAthenaName = Dictionary(uniqueKeysWithValues: all.compactMap { p in p.athenaName.map { ($0, p) } })

  /// A real-valued parameter stored at `path`.
  static func real(
    _ name: String, _ stage: ProcessingStage, athena: String?, _ encoding: AthenaEncoding = .number, unit: String,
    default defaultText: String, range: ClosedRange<Double>, open: (Bool, Bool) = (false, false), help: String,
    _ path: WritableKeyPath<ProcessingSettings, Double> & Sendable
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .real, athenaName: athena, athenaEncoding: encoding, unit: unit,
      defaultText: defaultText, range: range, lowerOpen: open.0, upperOpen: open.1, help: help,
      get: { .real($0[keyPath: path]) },
      set: { s, v in if case .real(let x?) = v { s[keyPath: path] = x } })
  }

  /// A real-valued parameter that may be left to the data (nil).
  static func optionalReal(
    _ name: String, _ stage: ProcessingStage, athena: String?, _ encoding: AthenaEncoding = .number, unit: String,
    default defaultText: String, range: ClosedRange<Double>, open: (Bool, Bool) = (false, false), help: String,
    _ path: WritableKeyPath<ProcessingSettings, Double?> & Sendable
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .real, athenaName: athena, athenaEncoding: encoding, unit: unit,
      defaultText: defaultText, range: range, lowerOpen: open.0, upperOpen: open.1, help: help,
      get: { .real($0[keyPath: path]) },
      set: { s, v in if case .real(let x) = v { s[keyPath: path] = x } })
  }

  /// An integer parameter (nil: from the data).
  static func integer(
    _ name: String, _ stage: ProcessingStage, athena: String?, _ encoding: AthenaEncoding = .number, unit: String = "",
    default defaultText: String, range: ClosedRange<Double>, help: String,
    get: @escaping @Sendable (ProcessingSettings) -> Int?, set: @escaping @Sendable (inout ProcessingSettings, Int?) -> Void
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .integer, athenaName: athena, athenaEncoding: encoding, unit: unit,
      defaultText: defaultText, range: range, lowerOpen: false, upperOpen: false, help: help,
      get: { .integer(get($0)) },
      set: { s, v in if case .integer(let x) = v { set(&s, x) } })
  }

  /// A window-function parameter.
  static func window(
    _ name: String, _ stage: ProcessingStage, athena: String?, default defaultText: String, help: String,
    _ path: WritableKeyPath<ProcessingSettings, FTWindowKind> & Sendable
  ) -> ProcessingParameter {
    ProcessingParameter(
      name: name, stage: stage, kind: .window, athenaName: athena, athenaEncoding: .windowName, unit: "",
      defaultText: defaultText, range: nil, lowerOpen: false, upperOpen: false, help: help,
      get: { .window($0[keyPath: path]) },
      set: { s, v in if case .window(let w) = v { s[keyPath: path] = w } })
  }
}
