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
        SourceLocation(file: table.file, line: line), "\(reason); check the I0/It columns or the --mu expression")
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
        "--energy-column", "no column '\(wanted)'; the file has columns: \(table.names.joined(separator: ", "))")
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
      "--mu",
      "cannot tell which column holds mu(E); the file has columns: \(names.joined(separator: ", ")). "
        + "Give an expression, e.g. --mu 'ln(i0/it)' (transmission), --mu 'if/i0' (fluorescence) or --mu '$4'")
  }
}

extension XASSpectrum {
  /// This spectrum checked and repaired for processing, with a note for every repair.
  ///
  /// NaN or infinite values, |energy| > 1 MeV and |mu| > 1e100 are errors; energies below 200 (keV)
  /// are multiplied by 1000; points are
  /// sorted by energy; points with exactly equal energies are merged (mu and i0 averaged); fewer
  /// than 20 points is an error.
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
    try checkLength(energy.count, context: context, source: source)
    try checkFinite(energy: energy, values: mu, what: "mu", lineNumbers: lineNumbers, context: context, source: source)
    try checkRange(
      energy, limit: SpectrumReader.maximumEnergy, what: "energy", hint: "expected energies in eV (or keV)",
      lineNumbers: lineNumbers, context: context, source: source)
    try checkRange(
      mu, limit: SpectrumReader.maximumValue, what: "mu", hint: "check the mu column or the --mu expression",
      lineNumbers: lineNumbers, context: context, source: source)
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
    var energy: [Double] = []
    var mu: [Double] = []
    var i0: [Double] = []
    var groupSize: [Double] = []
    for index in out.energy.indices {
      let value = out.i0?[index] ?? 0
      if let last = energy.last, last == out.energy[index] {
        mu[mu.count - 1] += out.mu[index]
        i0[i0.count - 1] += value
        groupSize[groupSize.count - 1] += 1
      } else {
        energy.append(out.energy[index])
        mu.append(out.mu[index])
        i0.append(value)
        groupSize.append(1)
      }
    }
    if energy.count < out.energy.count {
      out.notes.append("\(out.energy.count - energy.count) points with repeated energies were merged (mu averaged)")
      out.energy = energy
      out.mu = zip(mu, groupSize).map { $0 / $1 }
      if out.i0 != nil { out.i0 = zip(i0, groupSize).map { $0 / $1 } }
    }
    guard out.energy.count >= SpectrumReader.minimumPoints else {
      throw EXAFSError.unusableData(
        SourceLocation(file: source),
        "\(context.map { "\($0) has" } ?? "the file has") only \(out.energy.count) distinct energy points; "
          + "at least \(SpectrumReader.minimumPoints) are needed for normalization and background removal")
    }
    return out
  }
}

extension ChiSpectrum {
  /// This chi(k) checked for processing: NaN/inf, |k| > 100 1/Å and |chi| > 1e100 are errors, points are
  /// sorted by k, at least 20 points.
  public func sanitized(lineNumbers: [Int]?, context: String?) throws -> ChiSpectrum {
    var out = self
    try checkLength(k.count, context: context, source: source)
    try checkFinite(energy: k, values: chi, what: "chi", lineNumbers: lineNumbers, context: context, source: source)
    try checkRange(
      k, limit: SpectrumReader.maximumK, what: "k", hint: "expected k in 1/Å, typically 0 to 20",
      lineNumbers: lineNumbers, context: context, source: source)
    try checkRange(
      chi, limit: SpectrumReader.maximumValue, what: "chi", hint: "expected chi(k) of order 1 or less",
      lineNumbers: lineNumbers, context: context, source: source)
    let order = k.indices.sorted { k[$0] < k[$1] }
    if order != Array(k.indices) {
      out.k = order.map { k[$0] }
      out.chi = order.map { chi[$0] }
      out.notes.append("the k values were not in increasing order; the points were sorted by k")
    }
    guard k.count >= SpectrumReader.minimumPoints else {
      throw EXAFSError.unusableData(
        SourceLocation(file: source),
        "\(context.map { "\($0) has" } ?? "the file has") only \(k.count) chi(k) points; "
          + "at least \(SpectrumReader.minimumPoints) are needed")
    }
    return out
  }
}

/// Throws `.unusableData` at the first point where the abscissa or `values` is NaN or infinite.
private func checkFinite(
  energy: [Double], values: [Double], what: String, lineNumbers: [Int]?, context: String?, source: String
) throws {
  guard energy.count == values.count else {
    throw EXAFSError.unusableData(
      SourceLocation(file: source), "\(energy.count) abscissa values but \(values.count) \(what) values")
  }
  guard let bad = energy.indices.first(where: { !energy[$0].isFinite || !values[$0].isFinite }) else { return }
  let axis = energy[bad].isFinite ? what : "the energy (or k)"
  if let lineNumbers, bad < lineNumbers.count {
    throw EXAFSError.unusableData(
      SourceLocation(file: source, line: lineNumbers[bad]),
      "\(axis) is NaN or infinite at line \(lineNumbers[bad]) (division by zero in the --mu expression?)")
  }
  throw EXAFSError.unusableData(
    SourceLocation(file: source), "\(axis) is NaN or infinite at point \(bad + 1)\(context.map { " of \($0)" } ?? "")")
}

/// Throws `.unusableData` at the first point where |value| exceeds `limit`.
private func checkRange(
  _ values: [Double], limit: Double, what: String, hint: String, lineNumbers: [Int]?, context: String?,
  source: String
) throws {
  guard let bad = values.firstIndex(where: { abs($0) > limit }) else { return }
  let problem = "\(what) = \(values[bad]) is beyond the plausible range (|\(what)| <= \(fmt(limit))); \(hint)"
  if let lineNumbers, bad < lineNumbers.count {
    throw EXAFSError.unusableData(
      SourceLocation(file: source, line: lineNumbers[bad]), "\(problem) (line \(lineNumbers[bad]))")
  }
  throw EXAFSError.unusableData(
    SourceLocation(file: source), "\(problem) (point \(bad + 1)\(context.map { " of \($0)" } ?? ""))")
}

/// Throws `.tooLarge` for a spectrum longer than `InputLimits.maxArrayPoints`.
private func checkLength(_ count: Int, context: String?, source: String) throws {
  guard count > InputLimits.maxArrayPoints else { return }
  throw EXAFSError.tooLarge(
    SourceLocation(file: source),
    "\(context.map { "\($0) has" } ?? "the spectrum has") \(count) points, more than the "
      + "\(InputLimits.maxArrayPoints) that can be processed; rebin the data first")
}
