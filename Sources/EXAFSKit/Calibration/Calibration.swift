// Energy calibration: the shift that puts a reference foil's E0 on its tabulated edge energy.
import Foundation

/// The energy calibration from a reference (usually a metal foil measured with the sample).
///
/// `eshift = tabulated - measured`: adding it to the energies of every spectrum measured with the
/// same monochromator setting puts the reference's edge on the tabulated value (Athena's
/// "calibrate" then its energy shift; Larch's `eshift`).
public struct Calibration: Sendable, Codable, Equatable {
  /// The reference file (and group).
  public var reference: String
  /// E0 of the reference as measured, eV (derivative maximum unless `method` says otherwise).
  public var measuredE0: Double
  /// The edge energy it should have, eV.
  public var tabulatedE0: Double
  /// Where `tabulatedE0` came from ("given", or "Elam tables: Cu K").
  public var tabulatedSource: String
  /// How E0 was found in the reference.
  public var method: String
  /// tabulated - measured, eV: the shift to add to the energies.
  public var eshift: Double

  enum CodingKeys: String, CodingKey {
    case reference, method, eshift
    case measuredE0 = "measured_e0"
    case tabulatedE0 = "tabulated_e0"
    case tabulatedSource = "tabulated_source"
  }

  public init(
    reference: String, measuredE0: Double, tabulatedE0: Double, tabulatedSource: String, method: String
  ) {
    self.reference = reference
    self.measuredE0 = measuredE0
    self.tabulatedE0 = tabulatedE0
    self.tabulatedSource = tabulatedSource
    self.method = method
    self.eshift = tabulatedE0 - measuredE0
  }

  /// The calibration of `spectrum` against `tabulated` eV, E0 found by `method`.
  /// - Throws: `EXAFSError` when E0 cannot be found.
  public static func of(
    _ spectrum: XASSpectrum, tabulated: Double, source: String, method: E0Method = .derivative
  ) throws -> Calibration {
    let measured = try findE0(spectrum, method: method)
    guard measured.isFinite, tabulated.isFinite else {
      throw EXAFSError.numerical("E0 of the reference \(spectrum.name) could not be found")
    }
    guard abs(tabulated - measured) <= 1000 else {
      throw EXAFSError.invalidParameter(
        "e0", "the tabulated edge \(tabulated) eV is \(Int(abs(tabulated - measured))) eV from the reference's E0 "
          + "\(measured) eV: a different edge or element?")
    }
    return Calibration(
      reference: spectrum.source + (spectrum.name.isEmpty ? "" : " [\(spectrum.name)]"), measuredE0: measured,
      tabulatedE0: tabulated, tabulatedSource: source, method: "\(method)")
  }

  /// A calibration file (JSON, as `exafs calibrate` writes it).
  /// - Throws: `EXAFSError.unreadable` / `.malformed` naming the file.
  public static func read(path: String) throws -> Calibration {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EXAFSError.unreadable(SourceLocation(file: path), "no such calibration file (write one with exafs calibrate)")
    }
    do {
      let c = try JSONDecoder().decode(Calibration.self, from: data)
      guard c.eshift.isFinite, abs(c.eshift) <= 1000 else {
        throw EXAFSError.malformed(SourceLocation(file: path), "eshift \(c.eshift) eV is not a plausible shift")
      }
      return c
    } catch let error as EXAFSError {
      throw error
    } catch {
      throw EXAFSError.malformed(
        SourceLocation(file: path), "not a calibration file (expected JSON with reference, measured_e0, tabulated_e0, eshift)")
    }
  }

  /// The calibration as pretty-printed JSON.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }
}
