// Shared pieces of the scan-tool subcommands (merge, deglitch, rebin, truncate): reading scans, --emin/--emax, errors.
import ArgumentParser
import EXAFSKit
import Foundation

/// `--emin/--emax`: keep only the points inside an absolute energy range (Athena's truncation).
struct EnergyRangeOptions: ParsableArguments {
  @Option(help: "Drop the points below this energy, eV (absolute; default: keep all).") var emin: Double?
  @Option(help: "Drop the points above this energy, eV (absolute; default: keep all).") var emax: Double?

  var isSet: Bool { emin != nil || emax != nil }

  func validate() throws {
    for value in [emin, emax].compactMap({ $0 }) where !value.isFinite {
      throw ValidationError("--emin and --emax must be finite energies in eV")
    }
    if let emin, let emax, emin >= emax {
      throw ValidationError("--emin (\(emin) eV) must be below --emax (\(emax) eV)")
    }
  }

  /// `scan` truncated to the range (unchanged without --emin/--emax).
  func apply(_ scan: XASSpectrum) throws -> XASSpectrum {
    try scan.truncated(emin: emin, emax: emax)
  }

  /// A header line describing the truncation, or nothing.
  var headerLines: [String] {
    guard isSet else { return [] }
    return ["truncate: \(emin.map { "\($0)" } ?? "start") to \(emax.map { "\($0)" } ?? "end") eV"]
  }
}

/// Every mu(E) scan in `paths`, in order (each mu(E) group of an Athena project is one scan).
///
/// - Throws: `EXAFSError` from the reader, or `.unusableData` for an input holding chi(k) only.
func readScans(_ paths: [String], options: ReadOptions) throws -> [XASSpectrum] {
  var scans: [XASSpectrum] = []
  for path in paths {
    let inputs = try SpectrumReader.read(path: path, options: options)
    let mu = inputs.compactMap { input -> XASSpectrum? in
      if case .mu(let spectrum) = input { return spectrum }
      return nil
    }
    guard !mu.isEmpty else {
      throw EXAFSError.unusableData(
        SourceLocation(file: path),
        "holds chi(k), not mu(E); the scan tools work on mu(E) (give --mu if it has intensities)")
    }
    scans += mu
  }
  return scans
}

/// The one mu(E) scan in `path` (an Athena project must be narrowed to one group with --group).
func readOneScan(_ path: String, options: ReadOptions) throws -> XASSpectrum {
  let scans = try readScans([path], options: options)
  guard scans.count == 1, let scan = scans.first else {
    throw EXAFSError.invalidParameter(
      "--group",
      "\(path) holds \(scans.count) spectra (\(scans.map(\.name).joined(separator: ", "))); choose one with --group")
  }
  return scan
}

/// Runs `body`; an `EXAFSError` is printed as `error: ...` on standard error and ends with exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as EXAFSError {
    printError("error: \(error.commandLineDescription)")
    throw ExitCode.failure
  }
}

/// Header lines saying where a scan came from and what the reader noted about it.
func provenance(_ scan: XASSpectrum) -> [String] {
  ["source: \(scan.source)", "name: \(scan.name)"] + scan.notes.map { "note. \($0)" }
}

/// `x` with a sign and 4 decimals (`+0.0328`), for shifts in eV.
func signed(_ x: Double) -> String { String(format: "%+.4f", x) }

/// `%.6g` of a number for messages, `-` when absent.
func scanText(_ x: Double?) -> String {
  guard let x else { return "-" }
  return String(format: "%.6g", x)
}
