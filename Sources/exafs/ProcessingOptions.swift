// Command-line options for the processing parameters, named as Larch and Athena name them.
import ArgumentParser
import EXAFSKit

/// Options shared by every command that processes spectra.
struct ProcessingOptions: ParsableArguments {
  @Option(help: "Edge energy E0, eV (default: maximum of the smoothed derivative).") var e0: Double?
  @Option(parsing: .unconditional, help: "Start of the pre-edge line fit, eV relative to E0 (default: 2nd point, rounded to 5 eV).") var pre1: Double?
  @Option(parsing: .unconditional, help: "End of the pre-edge line fit, eV relative to E0 (default: pre1/2).") var pre2: Double?
  @Option(parsing: .unconditional, help: "Start of the post-edge fit, eV relative to E0 (default: min(25, norm2/15)).") var norm1: Double?
  @Option(parsing: .unconditional, help: "End of the post-edge fit, eV relative to E0 (default: end of data).") var norm2: Double?
  @Option(help: "Degree of the post-edge polynomial, 0-5 (default: 2 if norm range >= 300 eV, 1 if >= 30 eV).") var nnorm: Int?
  @Option(help: "AUTOBK rbkg, Å: chi(R) below it is minimized (default 1).") var rbkg: Double?
  @Option(help: "k-weight of the AUTOBK fit (default 1).") var bkgKweight: Double?
  @Option(help: "AUTOBK k range start, 1/Å (default 0).") var bkgKmin: Double?
  @Option(help: "AUTOBK k range end, 1/Å (default: end of data).") var bkgKmax: Double?
  @Option(help: "AUTOBK window taper dk, 1/Å (default 0.1).") var bkgDk: Double?
  @Option(help: "Number of AUTOBK spline knots, 5-128 (default: 1 + 2 rbkg (kmax-kmin)/pi).") var nknots: Int?
  @Option(help: "Weight of the low-k clamp (default 0).") var clampLo: Double?
  @Option(help: "Weight of the high-k clamp (default 1).") var clampHi: Double?
  @Option(help: "FT k range start, 1/Å (default 2).") var kmin: Double?
  @Option(help: "FT k range end, 1/Å (default: last data point minus 1, rounded down).") var kmax: Double?
  @Option(help: "FT window taper dk, 1/Å (default 1).") var dk: Double?
  @Option(help: "FT window taper at kmax, 1/Å (default: dk).") var dk2: Double?
  @Option(help: "FT window: hanning, kaiser, welch, parzen, sine, gaussian (default hanning).") var window: String?
  @Option(help: "k-weight of the FT, any real number 0-10 (default 2).") var kweight: Double?
  @Option(help: "Largest R written to NAME.chir, Å (default 10).") var rmaxOut: Double?

  /// The options the user gave, by canonical parameter name.
  var values: ParameterValues {
    var v: ParameterValues = [:]
    func put(_ name: String, _ x: Double?) { if let x { v[name] = String(x) } }
    put("e0", e0); put("pre1", pre1); put("pre2", pre2); put("norm1", norm1); put("norm2", norm2)
    put("nnorm", nnorm.map(Double.init)); put("rbkg", rbkg); put("bkg_kweight", bkgKweight)
    put("bkg_kmin", bkgKmin); put("bkg_kmax", bkgKmax); put("bkg_dk", bkgDk)
    put("nknots", nknots.map(Double.init)); put("clamp_lo", clampLo); put("clamp_hi", clampHi)
    put("kmin", kmin); put("kmax", kmax); put("dk", dk); put("dk2", dk2); put("kweight", kweight)
    put("rmax_out", rmaxOut)
    if let window { v["window"] = window }
    return v
  }

  func validate() throws {
    // Check the command line on its own before any file is read.
    do {
      _ = try ProcessingSettings.resolve(stored: [:], commandLine: values)
    } catch let error as EXAFSError {
      throw ValidationError(error.description)
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
      do { _ = try MuExpression(mu) } catch let error as EXAFSError { throw ValidationError(error.description) }
    }
  }

  var readOptions: ReadOptions {
    ReadOptions(mu: mu, energyColumn: energyColumn, groups: group, scans: scan)
  }
}
