// Command-line options for the processing parameters. Names, help, units and defaults come from
// the parameter table (`ProcessingParameter.all`); a test checks that every entry has its option.
import ArgumentParser
import EXAFSKit

extension FTWindowKind: ExpressibleByArgument {
  /// Window names as Larch reads them (first three letters: "hann", "kaiser-bessel" ...).
  public init?(argument: String) { self.init(name: argument) }
}

/// `--name` and help of the parameter called `name` in the table.
private func option(_ name: String) -> (name: NameSpecification, help: ArgumentHelp) {
  guard let p = ProcessingParameter.named(name) else { return (.long, ArgumentHelp("(unknown parameter \(name))")) }
  return (.customLong(String(p.flag.dropFirst(2))), ArgumentHelp(p.helpWithDefault, valueName: p.name))
}

/// Options shared by every command that processes spectra, one per processing parameter.
///
/// Each property is named after its parameter (`bkgKweight` for `bkg_kweight`); `values` finds
/// them by that name, so the list below is the only thing to extend when the table grows.
struct ProcessingOptions: ParsableArguments {
  @Option(name: option("eshift").name, parsing: .unconditional, help: option("eshift").help) var eshift: Double?
  @Option(help: "Take eshift from a calibration file written by `exafs calibrate` (JSON).") var eshiftFrom: String?
  @Option(name: option("e0").name, help: option("e0").help) var e0: E0Argument?
  @Option(name: option("pre1").name, parsing: .unconditional, help: option("pre1").help) var pre1: Double?
  @Option(name: option("pre2").name, parsing: .unconditional, help: option("pre2").help) var pre2: Double?
  @Option(name: option("norm1").name, parsing: .unconditional, help: option("norm1").help) var norm1: Double?
  @Option(name: option("norm2").name, parsing: .unconditional, help: option("norm2").help) var norm2: Double?
  @Option(name: option("nnorm").name, help: option("nnorm").help) var nnorm: Int?
  @Option(name: option("step").name, help: option("step").help) var step: Double?
  @Option(name: option("pre_edge_convention").name, help: option("pre_edge_convention").help) var preEdgeConvention: String?
  @Option(name: option("e0_method").name, help: option("e0_method").help) var e0Method: String?
  @Option(name: option("rbkg").name, help: option("rbkg").help) var rbkg: Double?
  @Option(name: option("bkg_kweight").name, parsing: .unconditional, help: option("bkg_kweight").help) var bkgKweight: Double?
  @Option(name: option("bkg_kmin").name, help: option("bkg_kmin").help) var bkgKmin: Double?
  @Option(name: option("bkg_kmax").name, help: option("bkg_kmax").help) var bkgKmax: Double?
  @Option(name: option("bkg_dk").name, help: option("bkg_dk").help) var bkgDk: Double?
  @Option(name: option("bkg_window").name, help: option("bkg_window").help) var bkgWindow: FTWindowKind?
  @Option(name: option("nknots").name, help: option("nknots").help) var nknots: Int?
  @Option(name: option("clamp_lo").name, help: option("clamp_lo").help) var clampLo: Double?
  @Option(name: option("clamp_hi").name, help: option("clamp_hi").help) var clampHi: Double?
  @Option(name: option("nclamp").name, help: option("nclamp").help) var nclamp: Int?
  @Option(name: option("kmin").name, help: option("kmin").help) var kmin: Double?
  @Option(name: option("kmax").name, help: option("kmax").help) var kmax: Double?
  @Option(name: option("dk").name, help: option("dk").help) var dk: Double?
  @Option(name: option("dk2").name, help: option("dk2").help) var dk2: Double?
  @Option(name: option("window").name, help: option("window").help) var window: FTWindowKind?
  @Option(name: option("kweight").name, help: option("kweight").help) var kweight: Double?
  @Option(name: option("rmax_out").name, help: option("rmax_out").help) var rmaxOut: Double?
  @Option(name: option("rmin").name, help: option("rmin").help) var rmin: Double?
  @Option(name: option("rmax").name, help: option("rmax").help) var rmax: Double?
  @Option(name: option("dr").name, help: option("dr").help) var dr: Double?
  @Option(name: option("rwindow").name, help: option("rwindow").help) var rwindow: FTWindowKind?

  /// The options the user gave, by Larch name, found by property name in the parameter table
  /// (`--eshift-from` gives eshift from a calibration file).
  var values: ParameterValues {
    var v: ParameterValues = [:]
    if let eshiftFrom, let shift = try? Calibration.read(path: eshiftFrom).eshift { v["eshift"] = String(shift) }
    for child in Mirror(reflecting: self).children {
      guard let label = child.label, let p = Self.parameter(property: String(label.drop { $0 == "_" })) else { continue }
      switch child.value {
      case let o as Option<Double?>: if let x = o.wrappedValue { v[p.name] = String(x) }
      case let o as Option<Int?>: if let x = o.wrappedValue { v[p.name] = String(x) }
      case let o as Option<FTWindowKind?>: if let x = o.wrappedValue { v[p.name] = x.rawValue }
      case let o as Option<String?>: if let x = o.wrappedValue { v[p.name] = x }
      case let o as Option<E0Argument?>: if case .value(let x)? = o.wrappedValue { v[p.name] = String(x) }
      default: break
      }
    }
    return v
  }

  /// `--e0 common`: the command takes E0 from its reference spectrum (exafs compare).
  var e0IsCommon: Bool { e0 == .common }

  /// The table entry of a property (`bkgKweight` -> `bkg_kweight`).
  static func parameter(property: String) -> ProcessingParameter? {
    ProcessingParameter.all.first { $0.propertyName == property }
  }

  func validate() throws {
    if eshiftFrom != nil && eshift != nil { throw ValidationError("give --eshift or --eshift-from, not both") }
    if let eshiftFrom {
      do { _ = try Calibration.read(path: eshiftFrom) } catch let error as EXAFSError {
        throw ValidationError(error.commandLineDescription)
      }
    }
    // Check the command line on its own before any file is read; name the option.
    do {
      _ = try ProcessingSettings.resolve(given: values)
    } catch let error as EXAFSError {
      throw ValidationError(error.commandLineDescription)
    }
  }
}

extension EXAFSError {
  /// The message with the parameter named as the command line spells it (`bkg_kmax` ->
  /// `--bkg-kmax`): the library names parameters, the command line names options.
  var commandLineDescription: String {
    guard case .invalidParameter(let name, let message) = self else { return description }
    let base = String(name.prefix { $0 != " " })
    let suffix = name.dropFirst(base.count)
    let flag = ProcessingParameter.named(base)?.flag ?? (base.hasPrefix("-") || base.uppercased() == base ? base : "--" + base.replacingOccurrences(of: "_", with: "-"))
    return "invalid parameter \(flag)\(suffix): \(message)"
  }
}

/// The value of `--e0`: a number (eV), or `common` (compare: the reference's E0 for every spectrum).
enum E0Argument: Equatable, ExpressibleByArgument {
  case value(Double)
  case common

  init?(argument: String) {
    if argument.lowercased() == "common" {
      self = .common
    } else if let x = Double(argument) {
      self = .value(x)
    } else {
      return nil
    }
  }
}

/// Options that choose what to read from each input.
struct InputOptions: ParsableArguments {
  @Option(help: "mu as an expression over columns, e.g. 'ln(i0/it)', 'if/i0', 'ln(it/iref)' or a column name.")
  var mu: String?
  @Option(help: "Column holding the energy (name or 1-based index; default: the first column).")
  var energyColumn: String?
  @Option(help: "Athena project group(s) to process, by label (repeatable; default: all).")
  var group: [String] = []
  @Option(help: "SPEC scan(s) to read, by #S number (repeatable; default: every scan, one spectrum each).")
  var scan: [Int] = []

  func validate() throws {
    if let mu {
      do { _ = try MuExpression(mu) } catch let error as EXAFSError { throw ValidationError(error.commandLineDescription) }
    }
  }

  var readOptions: ReadOptions {
    ReadOptions(mu: mu, energyColumn: energyColumn, groups: group, scans: scan)
  }
}
