// SpectrumReader+Rules: which columns are energy and mu, and the checks and repairs applied to every spectrum read.
import Foundation

extension SpectrumReader {
  static let energyNames = ["energy", "e", "ene"]
  static let muNames = ["mu", "xmu", "mutrans", "mufluor"]
  static let i0Names = ["i0"]
  static let transmittedNames = ["it", "itrans", "i1"]
  static let fluorescenceNames = ["if", "ifluor"]
  /// Fewest points a spectrum may have.
  static let minimumPoints = 20
  /// Largest |energy| accepted, eV (1 MeV: every absorption edge lies below 120 keV).
  static let maximumEnergy = 1e6
  /// Largest |k| accepted in chi(k) input, 1/Å (k = 100 is 38 keV above the edge).
  static let maximumK = 100.0
  /// Largest |mu| or |chi| accepted: beyond this the arithmetic of the pipeline would overflow.
  static let maximumValue = 1e100

  /// Turns a table into one spectrum following the column rules of `read`, with a description of the choice.
  ///
  /// A `--mu` or `--energy-column` that does not fit this file is an `.invalidParameter` whose
  /// message ends `(in FILE)`: in a batch the same options may suit the other files.
  static func interpret(
    _ table: ColumnTable, options: ReadOptions, name: String
  ) throws -> (input: SpectrumInput, description: String) {
    do {
      return try interpretColumns(table, options: options, name: name)
    } catch EXAFSError.invalidParameter(let parameter, let message) {
      throw EXAFSError.invalidParameter(parameter, "\(message) (in \(table.file))")
    }
  }

  private static func interpretColumns(
    _ table: ColumnTable, options: ReadOptions, name: String
  ) throws -> (input: SpectrumInput, description: String) {
    let names = table.names.map { $0.lowercased() }
    func named(_ candidates: [String]) -> Int? { names.firstIndex { candidates.contains($0) } }
    if options.mu == nil, let chi = chiColumns(table, named: named) {
      let spectrum = ChiSpectrum(
        name: name, k: table.columns[chi.k], chi: table.columns[chi.chi], metadata: table.metadata,
        notes: table.notes, source: table.file)
      let description = "chi(k): k = \(table.names[chi.k]), chi = \(table.names[chi.chi])"
      return (.chi(try spectrum.sanitized(lineNumbers: table.lineNumbers, context: nil)), description)
    }
    let energy = try energyIndex(table, options: options, named: named)
    let expression = try muExpression(table, options: options, energy: energy, named: named)
    let evaluation = try MuExpression(expression).evaluate(names: table.names, columns: table.columns)
    if let problem = evaluation.domainProblem {
      let line = table.lineNumbers[problem.row]
      let cause: String
      if problem.function == "sqrt" {
        cause = "the argument is negative"
      } else if problem.argument.isNaN {
        cause = "the argument is not a number (0/0: intensities are zero)"
      } else if problem.argument.isInfinite {
        cause = "the argument is infinite (an intensity in a denominator is zero, or the ratio overflows)"
      } else {
        cause = "an intensity is zero or negative"
      }
      let reason = "cannot take \(problem.function)(\(problem.argument)) at line \(line): \(cause)"
      throw EXAFSError.unusableData(
        SourceLocation(file: table.file, line: line), "\(reason); check the I0/It columns or the mu expression")
    }
    var notes = table.notes
    if options.mu == nil {
      let hint = BeamlineConventions.plotHint(table).flatMap { $0.expression == expression ? $0.hint : nil }
      notes.append("mu(E) = \(expression) (energy = \(table.names[energy]))" + (hint.map { ", from Scan.plot_hint '\($0)'" } ?? ""))
    }
    let energies = try BeamlineConventions.energies(table, column: energy)
    if let note = energies.note { notes.append(note) }
    let spectrum = XASSpectrum(
      name: name, energy: energies.values, mu: evaluation.values,
      i0: named(i0Names).map { table.columns[$0] }, metadata: table.metadata, notes: notes, source: table.file)
    let description = "mu(E) = \(expression), energy = \(table.names[energy])"
    return (.mu(try spectrum.sanitized(lineNumbers: table.lineNumbers, context: nil)), description)
  }

  /// Columns of k and chi: named `k` and `chi`, or the first two of a `.chi`/`.chik` file whose
  /// first column looks like k (0 to 25, evenly spaced within 10%).
  private static func chiColumns(
    _ table: ColumnTable, named: ([String]) -> Int?
  ) -> (k: Int, chi: Int)? {
    if let k = named(["k"]), let chi = named(["chi"]) { return (k, chi) }
    let ext = URL(fileURLWithPath: table.file).pathExtension.lowercased()
    guard ext == "chi" || ext == "chik", table.columns.count >= 2, table.rowCount >= 3 else { return nil }
    let k = table.columns[0]
    guard let first = k.first, let last = k.last, first >= 0, last <= 25, last > first else { return nil }
    let steps = zip(k.dropFirst(), k).map { $0 - $1 }
    let mean = (last - first) / Double(steps.count)
    let uniform = steps.allSatisfy { abs($0 - mean) <= 0.1 * mean }
    return uniform ? (0, 1) : nil
  }

  private static func energyIndex(
    _ table: ColumnTable, options: ReadOptions, named: ([String]) -> Int?
  ) throws -> Int {
    guard let wanted = options.energyColumn else { return named(energyNames) ?? 0 }
    guard let index = table.columnIndex(wanted) else {
      throw EXAFSError.invalidParameter(
        "energy_column", "no column '\(wanted)'; the file has columns: \(table.names.joined(separator: ", "))")
    }
    return index
  }

  /// The `--mu` expression, or the one the column names or count imply.
  private static func muExpression(
    _ table: ColumnTable, options: ReadOptions, energy: Int, named: ([String]) -> Int?
  ) throws -> String {
    if let mu = options.mu { return mu }
    let names = table.names
    if let hint = BeamlineConventions.plotHint(table) { return hint.expression }  // the file says what mu is
    if let mu = named(muNames), mu != energy { return names[mu] }
    if let i0 = named(i0Names) {
      if let it = named(transmittedNames) { return "ln(\(names[i0])/\(names[it]))" }
      if let fluor = named(fluorescenceNames) { return "\(names[fluor])/\(names[i0])" }
    }
    let others = names.indices.filter { $0 != energy }
    if others.count == 1 { return "$\(others[0] + 1)" }
    if others.count == 2 { return "ln($\(others[0] + 1)/$\(others[1] + 1))" }
    throw EXAFSError.invalidParameter(
      "mu",
      "cannot tell which column holds mu(E); the file has columns: \(names.joined(separator: ", ")). "
        + "Give an expression, e.g. mu = 'ln(i0/it)' (transmission), 'if/i0' (fluorescence) or '$4'")
  }
}

extension XASSpectrum {
  /// This spectrum checked and repaired for processing, with a note for every repair.
  ///
  /// NaN or infinite values, |energy| > 1 MeV and |mu| > 1e100 are errors; energies below 200 (keV)
  /// are multiplied by 1000; points are
  /// sorted by energy; a first or last point isolated far outside the scan is an error (its line
  /// named); points with equal or nearly equal energies (closer than 1% of the median step) are
  /// merged (energy, mu and i0 averaged); fewer than 20 points is an error.
  ///
  /// - Parameters:
  ///   - lineNumbers: the file line of each point, for error locations; `nil` when not from lines.
  ///   - context: how to name the data in errors without line numbers (e.g. `group 'Cu foil'`).
  public func sanitized(lineNumbers: [Int]?, context: String?) throws -> XASSpectrum {
    var out = self
    if let i0, i0.count != energy.count {
      out.i0 = nil
      out.notes.append("i0 has \(i0.count) values for \(energy.count) energies; it was dropped")
    }
    let curve = CurveCheck(
      x: energy, y: mu, xName: "energy", yName: "mu", xLimit: SpectrumReader.maximumEnergy,
      xHint: "expected energies in eV (or keV)", yHint: "check the mu column or the mu expression",
      lineNumbers: lineNumbers, context: context, source: source)
    try curve.check()
    if let maximum = energy.max(), maximum > 0, maximum < 200 {
      out.energy = energy.map { $0 * 1000 }
      out.notes.append("energies look like keV (largest \(maximum)); multiplied by 1000 to eV")
    }
    let order = out.energy.indices.sorted { out.energy[$0] < out.energy[$1] }
    if order != Array(out.energy.indices) {
      out.energy = order.map { out.energy[$0] }
      out.mu = order.map { out.mu[$0] }
      out.i0 = out.i0.map { i0 in order.map { i0[$0] } }
      out.notes.append("the energies were not in increasing order; the points were sorted by energy")
    }
    try out.rejectStrayPoints(order: order, lineNumbers: lineNumbers, context: context)
    out.mergeNearDuplicates()
    try curve.checkCount(out.energy.count, of: "distinct energy points", for: " for normalization and background removal")
    return out
  }
}

extension ChiSpectrum {
  /// This chi(k) checked for processing: NaN/inf, |k| > 100 1/Å and |chi| > 1e100 are errors, points are
  /// sorted by k, at least 20 points.
  public func sanitized(lineNumbers: [Int]?, context: String?) throws -> ChiSpectrum {
    var out = self
    let curve = CurveCheck(
      x: k, y: chi, xName: "k", yName: "chi", xLimit: SpectrumReader.maximumK,
      xHint: "expected k in 1/Å, typically 0 to 20", yHint: "expected chi(k) of order 1 or less",
      lineNumbers: lineNumbers, context: context, source: source)
    try curve.check()
    let order = k.indices.sorted { k[$0] < k[$1] }
    if order != Array(k.indices) {
      out.k = order.map { k[$0] }
      out.chi = order.map { chi[$0] }
      out.notes.append("the k values were not in increasing order; the points were sorted by k")
    }
    try curve.checkCount(k.count, of: "chi(k) points", for: "")
    return out
  }
}

/// The checks that mu(E) and chi(k) share: length, finite values, plausible ranges, enough points.
/// Errors name the file and, where the data came from lines, the line.
private struct CurveCheck {
  let x: [Double], y: [Double]
  let xName: String, yName: String
  let xLimit: Double
  let xHint: String, yHint: String
  let lineNumbers: [Int]?
  let context: String?
  let source: String

  /// Length within `InputLimits.maxArrayPoints`, every value finite, |x| <= xLimit, |y| <= 1e100.
  func check() throws {
    if x.count > InputLimits.maxArrayPoints {
      throw EXAFSError.tooLarge(
        SourceLocation(file: source),
        "\(context.map { "\($0) has" } ?? "the spectrum has") \(x.count) points, more than the "
          + "\(InputLimits.maxArrayPoints) that can be processed; rebin the data first")
    }
    guard x.count == y.count else {
      throw EXAFSError.unusableData(
        SourceLocation(file: source), "\(x.count) abscissa values but \(y.count) \(yName) values")
    }
    if let bad = x.indices.first(where: { !x[$0].isFinite || !y[$0].isFinite }) {
      let axis = x[bad].isFinite ? yName : "the energy (or k)"
      if let line = line(bad) {
        throw EXAFSError.unusableData(
          SourceLocation(file: source, line: line),
          "\(axis) is NaN or infinite at line \(line) (division by zero in the mu expression?)")
      }
      throw EXAFSError.unusableData(
        SourceLocation(file: source), "\(axis) is NaN or infinite at point \(bad + 1)\(ofContext)")
    }
    try checkRange(x, limit: xLimit, what: xName, hint: xHint)
    try checkRange(y, limit: SpectrumReader.maximumValue, what: yName, hint: yHint)
  }

  /// Throws unless `count` reaches `SpectrumReader.minimumPoints`.
  func checkCount(_ count: Int, of what: String, for purpose: String) throws {
    guard count < SpectrumReader.minimumPoints else { return }
    throw EXAFSError.unusableData(
      SourceLocation(file: source),
      "\(context.map { "\($0) has" } ?? "the file has") only \(count) \(what); "
        + "at least \(SpectrumReader.minimumPoints) are needed\(purpose)")
  }

  private var ofContext: String { context.map { " of \($0)" } ?? "" }

  private func line(_ index: Int) -> Int? {
    guard let lineNumbers, index < lineNumbers.count else { return nil }
    return lineNumbers[index]
  }

  private func checkRange(_ values: [Double], limit: Double, what: String, hint: String) throws {
    guard let bad = values.firstIndex(where: { abs($0) > limit }) else { return }
    let problem = "\(what) = \(values[bad]) is beyond the plausible range (|\(what)| <= \(fmt(limit))); \(hint)"
    if let line = line(bad) {
      throw EXAFSError.unusableData(SourceLocation(file: source, line: line), "\(problem) (line \(line))")
    }
    throw EXAFSError.unusableData(SourceLocation(file: source), "\(problem) (point \(bad + 1)\(ofContext))")
  }
}
