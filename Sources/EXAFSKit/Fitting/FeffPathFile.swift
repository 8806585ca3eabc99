// FEFF scattering-path files (feffNNNN.dat), FEFF6 and FEFF8 layouts, read as Larch's read_feffdat does.
import Foundation

/// One atom of a scattering path, as listed in the feffNNNN.dat header.
public struct FeffPathAtom: Sendable, Codable, Equatable {
  /// Element symbol (the file's label, or the symbol of `z`).
  public var symbol: String
  /// Atomic number.
  public var z: Int
  /// FEFF potential index (0 = absorber).
  public var ipot: Int
  /// Cartesian position, Å.
  public var x: Double, y: Double, z_: Double

  enum CodingKeys: String, CodingKey { case symbol, z, ipot, x, y, z_ = "zpos" }
}

/// The contents of a feffNNNN.dat file: the path header and the scattering tables on FEFF's k grid.
///
/// Table columns (FEFF documentation, "feffNNNN.dat"): k (1/Å), real part of 2 delta_c (central-atom
/// phase shift, radians), |f_eff| (Å), phase of f_eff (radians), reduction factor, mean free path
/// lambda (Å), real part of the complex wavenumber p (1/Å).
public struct FeffPathFile: Sendable, Equatable {
  /// File the path was read from.
  public var source: String
  /// First title line.
  public var title: String
  /// Half path length, Å.
  public var reff: Double
  /// Degeneracy of the path (number of equivalent paths).
  public var degen: Double
  /// Number of legs (2 = single scattering).
  public var nleg: Int
  /// Absorber first, then the scatterers in path order.
  public var atoms: [FeffPathAtom]
  /// FEFF's k grid, 1/Å.
  public var k: [Double]
  /// 2 delta_c(k), radians.
  public var realPhc: [Double]
  /// |f_eff(k)|, Å.
  public var magFeff: [Double]
  /// Phase of f_eff(k), radians.
  public var phaFeff: [Double]
  /// Amplitude reduction factor.
  public var redFact: [Double]
  /// Mean free path lambda(k), Å.
  public var lambda: [Double]
  /// Real part of the complex wavenumber p(k), 1/Å.
  public var realP: [Double]

  /// Total phase 2 delta_c + phase(f_eff) (Larch's `pha`).
  public var phase: [Double] { zip(realPhc, phaFeff).map { $0 + $1 } }
  /// Amplitude |f_eff| times the reduction factor (Larch's `amp`).
  public var amplitude: [Double] { zip(magFeff, redFact).map { $0 * $1 } }

  /// Reads a feffNNNN.dat file.
  /// - Throws: `.unreadable` when the file cannot be read, `.malformed` (with the line) when it is not a
  ///   FEFF path file: no "nleg, deg, reff" line, atom lines that do not parse, or fewer than 4 table rows.
  public init(path: String) throws {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw EXAFSError.unreadable(SourceLocation(file: path), FoundationErrors.describe(error))
    }
    try self.init(text: text, source: path)
  }

  /// Parses the text of a feffNNNN.dat file (see `init(path:)`).
  public init(text: String, source: String) throws {
    self.source = source
    var title = ""
    var mode = 0  // 0 header, 1 path block, 2 arrays
    var pathLine = 0
    var header: (nleg: Int, degen: Double, reff: Double)?
    var atoms: [FeffPathAtom] = []
    var cols = [[Double]](repeating: [], count: 7)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, raw) in lines.enumerated() {
      var line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.hasPrefix("#") { line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
      let lineNumber = index + 1
      if index == 0 {
        title = String(line.prefix(64)).trimmingCharacters(in: .whitespaces)
        continue
      }
      if line.hasPrefix("k") && line.hasSuffix("real[p]@#") {
        mode = 2
        continue
      }
      let chars = Array(line)
      if chars.count > 2, String(chars[2..<min(chars.count, 10)]).contains("----") {
        mode = 1
        continue
      }
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      switch mode {
      case 1:
        pathLine += 1
        if pathLine == 1 {
          let w = words.prefix(3).compactMap(Double.init)
          guard w.count == 3, let nleg = Int(words[0]) else {
            throw EXAFSError.malformed(
              SourceLocation(file: source, line: lineNumber), "expected 'nleg, deg, reff' of a FEFF path, found '\(line)'")
          }
          header = (nleg, w[1], w[2])
        } else if pathLine > 2 {
          guard words.count >= 5, let x = Double(words[0]), let y = Double(words[1]), let zp = Double(words[2]),
            let ipot = Int(words[3]), let z = Int(words[4])
          else {
            throw EXAFSError.malformed(
              SourceLocation(file: source, line: lineNumber), "expected an atom 'x y z ipot Z label' of the path, found '\(line)'")
          }
          let symbol = words.count > 5 ? words[5] : elementSymbol(z)
          atoms.append(FeffPathAtom(symbol: symbol, z: z, ipot: ipot, x: x, y: y, z_: zp))
        }
      case 2:
        let v = words.compactMap(Double.init)
        if v.count == 7 && words.count == 7 {
          for c in 0..<7 { cols[c].append(v[c]) }
        }
      default:
        break
      }
    }
    guard let header else {
      throw EXAFSError.malformed(
        SourceLocation(file: source), "not a FEFF path file (feffNNNN.dat): no path header with 'nleg, deg, reff'")
    }
    guard cols[0].count >= 4 else {
      throw EXAFSError.malformed(
        SourceLocation(file: source),
        "not a FEFF path file (feffNNNN.dat): the table 'k real[2*phc] mag[feff] ...' has \(cols[0].count) rows")
    }
    guard header.reff > 0.05 else {
      throw EXAFSError.unusableData(SourceLocation(file: source), "path reff = \(header.reff) Å is too small for chi(k)")
    }
    for i in 1..<cols[0].count where !(cols[0][i] > cols[0][i - 1]) {
      throw EXAFSError.malformed(SourceLocation(file: source), "the k column of the FEFF table is not increasing at row \(i + 1)")
    }
    self.title = title
    self.nleg = header.nleg
    self.degen = header.degen
    self.reff = header.reff
    self.atoms = atoms
    k = cols[0]; realPhc = cols[1]; magFeff = cols[2]; phaFeff = cols[3]
    redFact = cols[4]; lambda = cols[5]; realP = cols[6]
  }

  /// "Ta-Cl" or "Ta-Cl-Cl": the atoms of the path, absorber first.
  public var label: String {
    atoms.map(\.symbol).joined(separator: "-")
  }
}

/// Element symbols by atomic number (for FEFF files whose atom lines carry no label).
func elementSymbol(_ z: Int) -> String {
  let symbols = [
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
    "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",
    "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce",
    "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir",
    "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm",
  ]
  return (1...symbols.count).contains(z) ? symbols[z - 1] : "Z\(z)"
}

/// Atomic number of an element symbol (case-insensitive), nil when unknown.
func atomicNumber(_ symbol: String) -> Int? {
  for z in 1...96 where elementSymbol(z).lowercased() == symbol.lowercased() { return z }
  return nil
}
