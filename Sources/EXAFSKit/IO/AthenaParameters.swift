// AthenaParameters: what Demeter/Athena's stored group parameters mean, converted to EXAFSKit's meanings.
import Foundation

/// How one name that Athena stores in a group's `@args` is read.
///
/// Processing parameters come from the parameter table (`ProcessingParameter.all`: Athena name,
/// Demeter encoding and source); the other rules are the energy shift and names that are read
/// and reported but are not processing parameters. Each rule cites the Demeter source
/// (bruceravel/demeter, `lib/Demeter/...`) from which its meaning comes.
public struct AthenaParameterRule: Sendable {
  /// What the stored value means.
  public enum Meaning: Sendable {
    /// A processing parameter, decoded with its `athenaEncoding`.
    case parameter(ProcessingParameter)
    /// An energy shift in eV added to every energy before anything else (`energy + bkg_eshift`).
    case energyShift
    /// Read and reported, but not a processing parameter (display choices, Athena bookkeeping).
    case informational
  }

  /// The name in `@args`, e.g. `bkg_nnorm`.
  public var athenaName: String
  public var meaning: Meaning
  /// The Demeter source of the rule.
  public var source: String
  /// Older names of the same parameter, read when `athenaName` is absent.
  public var aliases: [String] = []

  /// EXAFSKit's parameter name (`nnorm`, `e0` ...); nil for the energy shift and informational names.
  public var canonicalName: String? {
    if case .parameter(let p) = meaning { return p.name }
    return nil
  }
}

/// A group's stored parameters in EXAFSKit's meanings.
public struct AthenaStoredParameters: Sendable, Equatable {
  /// Parameter name (`e0`, `nnorm`, `step`, `bkg_kmin`, `pre_edge_convention` ...) → value as text,
  /// in EXAFSKit's meaning (nnorm as a polynomial degree, clamps as numbers ...): what
  /// `ProcessingSettings.resolve(stored:)` takes.
  public var values: [String: String] = [:]
  /// Energy shift, eV, to add to the group's energies before anything else (`bkg_eshift`).
  public var energyShift = 0.0
  /// What was converted, corrected or ignored, for the user.
  public var notes: [String] = []
}

/// Demeter's semantics for the parameters Athena stores (`rules`).
public enum AthenaParameters {
  /// One rule per stored name that EXAFSKit reads: every parameter of the table with an Athena
  /// name, then the energy shift and the informational names.
  public static let rules: [AthenaParameterRule] =
    ProcessingParameter.all.compactMap { p in
      p.athenaName.map { name in
        AthenaParameterRule(
          athenaName: name, meaning: .parameter(p), source: p.athenaSource ?? "", aliases: oldNames[name] ?? [])
      }
    } + [
      .init(athenaName: "bkg_eshift", meaning: .energyShift,
            source: "templates/process/larch/normalize.tmpl and autobk.tmpl: `{$D->group}.energy+{$D->bkg_eshift}`"),
      .init(athenaName: "bkg_e0_fraction", meaning: .informational,
            source: "Data/E0.pm: the fraction of the edge step at which Athena's `fraction` method puts E0; the result is bkg_e0"),
      .init(athenaName: "bkg_spl1e", meaning: .informational, source: "Data/Mu.pm spline_range"),
      .init(athenaName: "bkg_spl2e", meaning: .informational, source: "Data/Mu.pm spline_range"),
      .init(athenaName: "bkg_fixstep", meaning: .informational, source: "Data.pm bkg_fixstep (flag of bkg_step)"),
      .init(athenaName: "bkg_flatten", meaning: .informational,
            source: "Data.pm bkg_flatten: which of norm and flat Athena plots; EXAFSKit writes both"),
      .init(athenaName: "importance", meaning: .informational,
            source: "Data.pm importance: weight of the group in Athena's merges"),
    ]

  /// Names Athena 0.8 wrote for parameters that Demeter renamed (Demeter's Data/Prj.pm maps
  /// `bkg_win` onto `bkg_kwindow` and `fft_win` onto `fft_kwindow` when it reads old projects).
  static let oldNames: [String: [String]] = ["bkg_kwindow": ["bkg_win"], "fft_kwindow": ["fft_win"]]

  /// Rules by stored name.
  public static let rulesByName: [String: AthenaParameterRule] = Dictionary(
    rules.map { ($0.athenaName, $0) }, uniquingKeysWith: { a, _ in a })

  /// Converts a group's stored `@args` into EXAFSKit's meanings with Demeter's rules (`rules`).
  ///
  /// Values that are empty, not numbers, or infinite are left out (the default is used) with a
  /// note; nothing non-finite is passed on. Notes tell every conversion that changes a number
  /// (nnorm terms → degree, the energy shift, a fixed step, a Kaiser taper of 0) and the stored
  /// Athena options EXAFSKit does not apply (background standard, functional normalization,
  /// Cromer-Liberman background).
  ///
  /// - Parameter backend: the program that computed the stored results (`AthenaGroup.processedWith`);
  ///   IFEFFIT's pre-edge conventions are then used, so that E0 and the edge step reproduce Athena's.
  public static func interpret(_ args: [String: String], backend: NormalizationConvention? = nil)
    -> AthenaStoredParameters
  {
    var out = AthenaStoredParameters()
    var args = args
    for rule in rules where args[rule.athenaName] == nil {
      if let alias = rule.aliases.first(where: { args[$0] != nil }) { args[rule.athenaName] = args[alias] }
    }
    if backend == .ifeffit {
      out.values["pre_edge_convention"] = NormalizationConvention.ifeffit.rawValue
      out.notes.append("the project was processed with IFEFFIT: its pre-edge fit ranges are used (pre_edge_convention ifeffit)")
    }
    func text(_ name: String) -> String? {
      guard let raw = args[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
      return raw
    }
    func number(_ name: String) -> Double? {
      guard let raw = text(name) else { return nil }
      guard let value = Double(raw), value.isFinite else {
        out.notes.append("\(name) = '\(raw)' is not a finite number: ignored, the default is used")
        return nil
      }
      return value
    }
    func flag(_ name: String) -> Bool { (Double(text(name) ?? "") ?? 0) != 0 || text(name)?.lowercased() == "true" }
    for rule in rules {
      guard case .parameter(let parameter) = rule.meaning else {
        if case .energyShift = rule.meaning, let shift = number(rule.athenaName), shift != 0 {
          out.energyShift = shift
          out.notes.append("\(rule.athenaName) = \(fmt(shift)) eV added to every energy before processing (as Athena does)")
        }
        continue
      }
      let canonical = parameter.name
      switch parameter.athenaEncoding {
      case .number:
        if let v = number(rule.athenaName) { out.values[canonical] = exact(v) }
      case .edgeEnergy:
        if let v = number(rule.athenaName), v > 0 { out.values[canonical] = exact(v) }
      case .polynomialTerms:
        guard let v = number(rule.athenaName) else { break }
        let terms = Int(v)
        if terms >= 1 && terms <= 6 {
          out.values[canonical] = String(terms - 1)
          out.notes.append("\(rule.athenaName) = \(terms) terms (Demeter) = post-edge polynomial degree nnorm \(terms - 1)")
        } else {
          out.notes.append("\(rule.athenaName) = \(terms) is not 1 ... 6 terms: ignored, the default is used")
        }
      case .clampStrength:
        guard let raw = text(rule.athenaName) else { break }
        if let named = ProcessingParameter.clampWords[raw.lowercased()] {
          out.values[canonical] = exact(named)
        } else if let v = Double(raw), v.isFinite, v >= 0 {
          out.values[canonical] = String(Int(v))
        } else {
          out.notes.append("\(rule.athenaName) = '\(raw)' is neither a clamp strength nor a number: ignored")
        }
      case .windowName:
        guard let raw = text(rule.athenaName) else { break }
        if let window = FTWindowKind(name: raw) {
          out.values[canonical] = window.rawValue
        } else {
          out.notes.append("\(rule.athenaName) = '\(raw)' is not a window EXAFSKit knows: ignored, hanning is used")
        }
      case .splineK(let energyName):
        if let k = number(rule.athenaName) {
          out.values[canonical] = exact(k)
        } else if let e = number(energyName), e >= 0 {
          out.values[canonical] = exact((e / KTOE).squareRoot())
          out.notes.append("\(rule.athenaName) taken from \(energyName) = \(fmt(e)) eV")
        }
      case .taperWidth(let windowName):
        guard let v = number(rule.athenaName) else { break }
        if v == 0, let w = text(windowName), FTWindowKind(name: w) == .kaiser {
          out.values[canonical] = "0.1"
          out.notes.append("\(rule.athenaName) = 0 with a Kaiser-Bessel window: 0.1 is used, as Athena's Larch template does")
        } else {
          out.values[canonical] = exact(v)
        }
      case .fixedStep(let flagName):
        guard flag(flagName) else { break }
        if let v = number(rule.athenaName), v > 0 {
          out.values[canonical] = exact(v)
          out.notes.append("\(flagName) is set: the edge step is fixed at \(rule.athenaName) = \(fmt(v))")
        } else {
          out.notes.append("\(flagName) is set but \(rule.athenaName) is not a positive number: the step is fitted")
        }
      }
    }
    if let standard = text("bkg_stan"), standard.lowercased() != "none" {
      out.notes.append("bkg_stan = '\(standard)': Athena fitted the background to a standard; EXAFSKit does not")
    }
    if flag("bkg_funnorm") { out.notes.append("bkg_funnorm is set: Athena's functional normalization is not applied") }
    if flag("bkg_cl") { out.notes.append("bkg_cl is set: Athena's Cromer-Liberman background is not applied") }
    return out
  }

  /// `value` as the shortest text that reads back as the same Double.
  private static func exact(_ value: Double) -> String { "\(value)" }

  /// Stored values in EXAFSKit's meanings (`AthenaStoredParameters.values`) back under Athena's
  /// names in Demeter's encodings, for writing a project (nnorm as terms; names Athena does not
  /// have, such as `pre_edge_convention`, are left out).
  public static func demeterArgs(fromStored values: [String: String]) -> [String: String] {
    var out: [String: String] = [:]
    for (name, text) in values {
      guard let p = ProcessingParameter.named(name), let athenaName = p.athenaName,
        let value = try? p.parse(text), let stored = p.athenaText(value)
      else { continue }
      out[athenaName] = stored
      if case .fixedStep(let flag) = p.athenaEncoding { out[flag] = "1" }
    }
    return out
  }
}
