// AthenaParameters: what Demeter/Athena's stored group parameters mean, converted to EXAFSKit's meanings.
import Foundation

/// How one parameter that Athena stores in a group's `@args` maps onto an EXAFSKit parameter.
///
/// `AthenaParameters.rules` holds one rule per stored name; the meaning of each comes from the
/// Demeter source named in `source` (bruceravel/demeter, `lib/Demeter/...`), which Athena uses
/// to turn the stored values into the calls of its processing backend (Larch or IFEFFIT).
public struct AthenaParameterRule: Sendable, Equatable {
  /// How the stored text is read.
  public enum Encoding: Sendable, Equatable {
    /// A plain number with the same meaning and unit as EXAFSKit's parameter.
    case number
    /// An edge energy in eV; zero, empty or below -10000 mean "not set" (Demeter writes 0, and its
    /// Larch template drops e0 below -10000).
    case edgeEnergy
    /// Demeter's number of terms of the post-edge polynomial: EXAFSKit's (and Larch's) degree is
    /// terms - 1 (`nnorm={$D->bkg_nnorm-1}`; IFEFFIT's `norm_order` counted terms too).
    case termsToDegree
    /// A clamp strength: a number (truncated to an integer, as Demeter does) or one of Demeter's
    /// words none 0, slight 3, weak 6, medium 12, strong 24, rigid 96.
    case clampStrength
    /// A window name as Demeter spells it (`hanning`, `kaiser-bessel`, `welch`, `parzen`, `sine`,
    /// `gaussian`, any case).
    case windowName
    /// A spline boundary k (1/Å); when it is absent or not a number, taken from the energy form
    /// named here (eV above E0; k = sqrt((E - E0) / KTOE)), which Demeter keeps in step with it.
    case splineK(energyName: String)
    /// A taper width (1/Å) for the window named by `windowName`; 0 with a Kaiser-Bessel window
    /// becomes 0.1 (Demeter's Larch template: a Kaiser window of width 0 is zero everywhere).
    case taperWidth(windowName: String)
    /// The fixed edge step: used only when the flag named here is true, else Athena's stored
    /// result, not a parameter.
    case fixedStep(flag: String)
    /// An energy shift in eV added to every energy before anything else (`energy + bkg_eshift`).
    case energyShift
    /// Read and reported, but not a processing parameter (display choices, Athena bookkeeping).
    case informational
  }

  /// The name in `@args`, e.g. `bkg_nnorm`.
  public var athenaName: String
  /// EXAFSKit's canonical parameter name (`nnorm`, `e0` ...); nil for `energyShift` and `informational`.
  public var canonicalName: String?
  /// How the stored text becomes the canonical value.
  public var encoding: Encoding
  /// The Demeter source of the rule.
  public var source: String
  /// Older names of the same parameter, read when `athenaName` is absent (Athena 0.8 wrote
  /// `bkg_win` and `fft_win`; Demeter's Data/Prj.pm maps them onto `bkg_kwindow`, `fft_kwindow`).
  public var aliases: [String] = []
}

/// A group's stored parameters in EXAFSKit's meanings.
public struct AthenaStoredParameters: Sendable, Equatable {
  /// Canonical parameter name (`e0`, `nnorm`, `step`, `bkg_kmin` ...) → value as text, in
  /// EXAFSKit's meaning (nnorm as a polynomial degree, clamps as numbers ...).
  public var values: [String: String] = [:]
  /// Energy shift, eV, to add to the group's energies before anything else (`bkg_eshift`).
  public var energyShift = 0.0
  /// What was converted, corrected or ignored, for the user.
  public var notes: [String] = []
  /// Whose pre-edge conventions reproduce the stored results (from the project header).
  public var convention: NormalizationConvention?

  /// The same values under Athena's names, for `ProcessingSettings.resolve(stored:)`, which maps
  /// stored Athena names onto canonical ones (`bkg_step` → `step` only when the step is fixed).
  public var settingsInput: [String: String] {
    var out: [String: String] = [:]
    for rule in AthenaParameters.rules {
      if let name = rule.canonicalName, let value = values[name] { out[rule.athenaName] = value }
    }
    if let convention { out["pre_edge_convention"] = convention.rawValue }
    return out
  }
}

/// Demeter's semantics for the parameters Athena stores, in one table (`rules`).
public enum AthenaParameters {
  private static let normalizeTemplate = "templates/process/larch/normalize.tmpl (pre_edge call)"
  private static let autobkTemplate = "templates/process/larch/autobk.tmpl (autobk call)"
  private static let fftTemplate = "templates/process/larch/fft.tmpl (xftf call)"

  /// One rule per stored parameter that EXAFSKit reads.
  public static let rules: [AthenaParameterRule] = [
    .init(athenaName: "bkg_eshift", canonicalName: nil, encoding: .energyShift,
          source: "\(normalizeTemplate) and \(autobkTemplate): `{$D->group}.energy+{$D->bkg_eshift}`"),
    .init(athenaName: "bkg_e0", canonicalName: "e0", encoding: .edgeEnergy,
          source: "\(normalizeTemplate): `e0=` unless bkg_e0 < -10000; Data/Mu.pm normalize stores the E0 used"),
    .init(athenaName: "bkg_pre1", canonicalName: "pre1", encoding: .number, source: normalizeTemplate),
    .init(athenaName: "bkg_pre2", canonicalName: "pre2", encoding: .number, source: normalizeTemplate),
    .init(athenaName: "bkg_nor1", canonicalName: "norm1", encoding: .number, source: normalizeTemplate),
    .init(athenaName: "bkg_nor2", canonicalName: "norm2", encoding: .number, source: normalizeTemplate),
    .init(athenaName: "bkg_nnorm", canonicalName: "nnorm", encoding: .termsToDegree,
          source: "\(normalizeTemplate): `nnorm={$D->bkg_nnorm-1}`; ifeffit/normalize.tmpl: `norm_order={$D->bkg_nnorm}`"),
    .init(athenaName: "bkg_step", canonicalName: "step", encoding: .fixedStep(flag: "bkg_fixstep"),
          source: "Data/Mu.pm normalize: `$fixed = ($self->bkg_fixstep) ? $self->bkg_step : 0`; ifeffit/normalize.tmpl `edge_step=`"),
    .init(athenaName: "bkg_rbkg", canonicalName: "rbkg", encoding: .number, source: autobkTemplate),
    .init(athenaName: "bkg_kw", canonicalName: "bkg_kweight", encoding: .number, source: autobkTemplate),
    .init(athenaName: "bkg_spl1", canonicalName: "bkg_kmin", encoding: .splineK(energyName: "bkg_spl1e"),
          source: "\(autobkTemplate): `kmin={$D->bkg_spl1}`; Data/Mu.pm spline_range keeps bkg_spl1e = k2e(bkg_spl1)"),
    .init(athenaName: "bkg_spl2", canonicalName: "bkg_kmax", encoding: .splineK(energyName: "bkg_spl2e"),
          source: "\(autobkTemplate): `kmax={$D->bkg_spl2}`; Data/Mu.pm spline_range keeps bkg_spl2e = k2e(bkg_spl2)"),
    .init(athenaName: "bkg_dk", canonicalName: "bkg_dk", encoding: .taperWidth(windowName: "bkg_kwindow"),
          source: "\(autobkTemplate): `bkg_dk(0.1) if kaiser and bkg_dk == 0`"),
    .init(athenaName: "bkg_kwindow", canonicalName: "bkg_window", encoding: .windowName,
          source: "\(autobkTemplate): `kaiser` for `kaiser-bessel`; Data/Prj.pm: bkg_win -> bkg_kwindow",
          aliases: ["bkg_win"]),
    .init(athenaName: "bkg_clamp1", canonicalName: "clamp_lo", encoding: .clampStrength,
          source: "\(autobkTemplate) `clamp_lo=`; Data/Mu.pm clamp(); configuration/clamp.demeter_conf"),
    .init(athenaName: "bkg_clamp2", canonicalName: "clamp_hi", encoding: .clampStrength,
          source: "\(autobkTemplate) `clamp_hi=`; Data/Mu.pm clamp(); configuration/clamp.demeter_conf"),
    .init(athenaName: "fft_kmin", canonicalName: "kmin", encoding: .number, source: fftTemplate),
    .init(athenaName: "fft_kmax", canonicalName: "kmax", encoding: .number, source: fftTemplate),
    .init(athenaName: "fft_dk", canonicalName: "dk", encoding: .number, source: "\(fftTemplate): `dk=` and `dk2=` both fft_dk"),
    .init(athenaName: "fft_kwindow", canonicalName: "window", encoding: .windowName,
          source: "\(fftTemplate): `window=`; Data/Prj.pm: fft_win -> fft_kwindow", aliases: ["fft_win"]),
    .init(athenaName: "fft_kw", canonicalName: "kweight", encoding: .number, source: "Data.pm fft_kw; \(fftTemplate) `kweight=`"),
    .init(athenaName: "rmax_out", canonicalName: "rmax_out", encoding: .number, source: "\(fftTemplate): `rmax_out=`"),
    .init(athenaName: "bkg_e0_fraction", canonicalName: nil, encoding: .informational,
          source: "Data/E0.pm: the fraction of the edge step at which Athena's `fraction` method puts E0; the result is bkg_e0"),
    .init(athenaName: "bkg_spl1e", canonicalName: nil, encoding: .informational, source: "Data/Mu.pm spline_range"),
    .init(athenaName: "bkg_spl2e", canonicalName: nil, encoding: .informational, source: "Data/Mu.pm spline_range"),
    .init(athenaName: "bkg_fixstep", canonicalName: nil, encoding: .informational, source: "Data.pm bkg_fixstep (flag of bkg_step)"),
    .init(athenaName: "bkg_flatten", canonicalName: nil, encoding: .informational,
          source: "Data.pm bkg_flatten: which of norm and flat Athena plots; EXAFSKit writes both"),
    .init(athenaName: "importance", canonicalName: nil, encoding: .informational,
          source: "Data.pm importance: weight of the group in Athena's merges"),
  ]

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
      out.convention = .ifeffit
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
      guard let canonical = rule.canonicalName else {
        if rule.encoding == .energyShift, let shift = number(rule.athenaName), shift != 0 {
          out.energyShift = shift
          out.notes.append("\(rule.athenaName) = \(fmt(shift)) eV added to every energy before processing (as Athena does)")
        }
        continue
      }
      switch rule.encoding {
      case .number:
        if let v = number(rule.athenaName) { out.values[canonical] = exact(v) }
      case .edgeEnergy:
        if let v = number(rule.athenaName), v > 0 { out.values[canonical] = exact(v) }
      case .termsToDegree:
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
        if let named = athenaClampStrengths[raw.lowercased()] {
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
      case .energyShift, .informational:
        break
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

  /// The `@args` text Athena reads back as `value` of the canonical parameter `name` (the inverse
  /// of `interpret`): nnorm degree → terms, windows as Demeter spells them, numbers as `%.10g`.
  public static func athenaText(canonical name: String, value: Double) -> String? {
    guard value.isFinite, let rule = rules.first(where: { $0.canonicalName == name }) else { return nil }
    switch rule.encoding {
    case .termsToDegree: return String(Int(value) + 1)
    default: return String(format: "%.10g", value)
    }
  }

  /// `settingsInput` (Athena names, EXAFSKit meanings) back in Demeter's encodings, for writing
  /// a project: nnorm as terms, no `pre_edge_convention` (not a Demeter parameter).
  public static func demeterArgs(fromSettingsInput input: [String: String]) -> [String: String] {
    var out = input
    out["pre_edge_convention"] = nil
    if let text = input["bkg_nnorm"], let degree = Double(text) {
      out["bkg_nnorm"] = athenaText(canonical: "nnorm", value: degree)
    }
    return out
  }

  /// The window name Demeter writes for `window` (`kaiser-bessel` for Kaiser).
  public static func athenaWindowName(_ window: FTWindowKind) -> String {
    window == .kaiser ? "kaiser-bessel" : window.rawValue
  }
}
