// The fit model file: parameters (guess, value, expr), datasets with their paths and transforms.
import Foundation

/// How a fit parameter gets its value.
public enum FitParameterKind: Sendable, Equatable {
  /// Varied in the fit, starting from this value.
  case guess(Double)
  /// Fixed at this value.
  case value(Double)
  /// Defined by other parameters.
  case expr(FitExpression, text: String)
}

/// One named parameter of a fit model.
public struct FitParameter: Sendable, Equatable {
  public var name: String
  public var kind: FitParameterKind
}

/// The path values of a model path: each is an expression over the parameters and the path's
/// constants `reff`, `degen` and `nleg`.
public struct PathModel: Sendable {
  /// The file name as written in the model.
  public var feff: String
  /// The path (file read and splined).
  public var path: FeffPath
  /// Expressions for s02, e0, deltar, sigma2, third, fourth, ei and (optionally) degen.
  public var values: [String: FitExpression]
  /// Where in the model the path is, e.g. `datasets[0].paths[1]`.
  public var entry: String
}

/// Transform and fit-range settings of one dataset, with Larch's `feffit_transform` defaults.
public struct FitTransformParameters: Sendable, Codable, Equatable {
  /// k range start and end, 1/Å (Larch defaults 0 and 20).
  public var kmin: Double = 0
  public var kmax: Double = 20
  /// k window tapers, 1/Å (default 4; dk2 defaults to dk).
  public var dk: Double = 4
  public var dk2: Double?
  /// k window (default kaiser).
  public var window: FTWindowKind = .kaiser
  /// k-weights fitted together (default [2]).
  public var kweight: [Double] = [2]
  /// Fit range in R, Å (defaults 0 and 10); also the R window of the q-space fit.
  public var rmin: Double = 0
  public var rmax: Double = 10
  /// R window taper, Å (default 0) and its kind (default hanning), for q-space fits.
  public var dr: Double = 0
  public var rwindow: FTWindowKind = .hanning
  /// Fit space: "r" (default), "k" or "q".
  public var fitSpace: FitSpace = .r
  /// Noise of chi(k); nil: estimated from the data as Larch's estimate_noise does.
  public var epsilonK: Double?
  /// FFT size and k step (Larch's 2048 and 0.05 1/Å).
  public var nfft: Int = 2048
  public var kstep: Double = 0.05

  public init() {}

  /// R step of the transform, Å.
  public var rstep: Double { Double.pi / (kstep * Double(nfft)) }

  enum CodingKeys: String, CodingKey {
    case kmin, kmax, dk, dk2, window, kweight, rmin, rmax, dr, rwindow, fitSpace = "fit_space"
    case epsilonK = "epsilon_k", nfft, kstep
  }
}

/// Space in which the fit residual is computed.
public enum FitSpace: String, Sendable, Codable, CaseIterable {
  case r, k, q
}

/// One dataset of a model: data file (optional in the model), paths, transform.
public struct DatasetModel: Sendable {
  /// Data file as resolved against the model's folder, when the model names one.
  public var data: String?
  public var paths: [PathModel]
  public var transform: FitTransformParameters
  public var entry: String
}

/// A fit model read from JSON (format: Docs/fitting.md).
public struct FitModel: Sendable {
  /// The model file.
  public var source: String
  /// Parameters sorted by name.
  public var parameters: [FitParameter]
  public var datasets: [DatasetModel]

  /// Names a model may not define: the path constants and the function names.
  static let reserved: Set<String> = Set(["reff", "degen", "nleg"]).union(FitExpression.functions.keys)
  /// Path value keys and their Larch defaults.
  static let pathKeys: [String: Double] = [
    "s02": 1, "e0": 0, "deltar": 0, "sigma2": 0, "third": 0, "fourth": 0, "ei": 0,
  ]

  /// Reads a model file. Paths and data files are resolved relative to its folder.
  /// - Throws: `.malformed` naming the model file and the entry (`parameters.ss2`,
  ///   `datasets[0].paths[1].sigma2`) for a bad value, an unknown name, a cycle of expressions, or a
  ///   path file that is not a FEFF file.
  public init(path: String) throws {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw EXAFSError.unreadable(SourceLocation(file: path), FoundationErrors.describe(error))
    }
    let json: Any
    do {
      json = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw EXAFSError.malformed(SourceLocation(file: path), "not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "a syntax error")")
    }
    try self.init(json: json, source: path)
  }

  /// Builds a model from parsed JSON (see `init(path:)`); `source` names the file in errors and
  /// is the base of relative paths.
  public init(json: Any, source: String) throws {
    self.source = source
    let base = URL(fileURLWithPath: source).absoluteURL.deletingLastPathComponent()
    func fail(_ entry: String, _ message: String) -> EXAFSError {
      .malformed(SourceLocation(file: source), "\(entry): \(message)")
    }
    guard let root = json as? [String: Any] else { throw fail("model", "the model must be a JSON object") }
    for key in root.keys where !["parameters", "paths", "transform", "datasets", "data"].contains(key) {
      throw fail(key, "unknown key (known: parameters, datasets, or paths + transform + data)")
    }
    guard let pars = root["parameters"] as? [String: Any] else {
      throw fail("parameters", "missing: an object {name: {\"guess\": v} | {\"value\": v} | {\"expr\": \"...\"}}")
    }
    var parameters: [FitParameter] = []
    for name in pars.keys.sorted() {
      let entry = "parameters.\(name)"
      guard isIdentifier(name) else { throw fail(entry, "'\(name)' is not a name (letters, digits, _)") }
      guard !Self.reserved.contains(name) else {
        throw fail(entry, "'\(name)' is reserved (path constants reff, degen, nleg and function names)")
      }
      guard let spec = pars[name] as? [String: Any], spec.count == 1, let (key, value) = spec.first else {
        throw fail(entry, "give exactly one of {\"guess\": number}, {\"value\": number}, {\"expr\": \"...\"}")
      }
      switch key {
      case "guess", "value":
        guard let v = number(value) else { throw fail(entry, "\(key) must be a number") }
        parameters.append(FitParameter(name: name, kind: key == "guess" ? .guess(v) : .value(v)))
      case "expr":
        guard let text = value as? String else { throw fail(entry, "expr must be a string") }
        parameters.append(FitParameter(name: name, kind: .expr(try parse(text, entry, fail), text: text)))
      default:
        throw fail(entry, "unknown key '\(key)' (use guess, value or expr)")
      }
    }
    self.parameters = parameters
    let known = Set(parameters.map(\.name))
    for p in parameters {
      guard case .expr(let e, _) = p.kind else { continue }
      for n in e.names.sorted() where !known.contains(n) {
        if ["reff", "degen", "nleg"].contains(n) {
          throw fail("parameters.\(p.name)", "'\(n)' is a path constant; use it in a path value, not in a parameter")
        }
        throw fail("parameters.\(p.name)", "unknown parameter '\(n)' in the expression")
      }
    }
    if let cycle = Self.findCycle(parameters) {
      throw fail("parameters.\(cycle[0])", "expressions refer to each other in a cycle: \(cycle.joined(separator: " -> "))")
    }
    var dsSpecs: [(Any, String)] = []
    if let list = root["datasets"] {
      guard let list = list as? [Any], !list.isEmpty else { throw fail("datasets", "must be a non-empty list") }
      if root["paths"] != nil { throw fail("paths", "give either datasets or paths, not both") }
      dsSpecs = list.enumerated().map { ($0.element, "datasets[\($0.offset)]") }
    } else {
      dsSpecs = [(root.filter { ["paths", "transform", "data"].contains($0.key) }, "model")]
    }
    var datasets: [DatasetModel] = []
    for (spec, entry) in dsSpecs {
      guard let ds = spec as? [String: Any] else { throw fail(entry, "a dataset must be an object") }
      for key in ds.keys where !["paths", "transform", "data"].contains(key) {
        throw fail("\(entry).\(key)", "unknown key (known: data, paths, transform)")
      }
      let prefix = entry == "model" ? "" : "\(entry)."
      var dataPath: String?
      if let d = ds["data"] {
        guard let d = d as? String else { throw fail("\(prefix)data", "must be a file name") }
        dataPath = d.hasPrefix("/") ? d : base.appendingPathComponent(d).standardized.path
      }
      guard let pathList = ds["paths"] as? [Any], !pathList.isEmpty else {
        throw fail("\(prefix)paths", "missing or empty: a list of {\"feff\": \"feffNNNN.dat\", \"s02\": ..., ...}")
      }
      var paths: [PathModel] = []
      for (i, p) in pathList.enumerated() {
        paths.append(try Self.pathModel(p, entry: "\(prefix)paths[\(i)]", known: known, base: base, fail: fail))
      }
      let transform = try Self.transform(ds["transform"], entry: "\(prefix)transform", fail: fail)
      datasets.append(DatasetModel(data: dataPath, paths: paths, transform: transform, entry: entry))
    }
    self.datasets = datasets
  }

  private static func pathModel(
    _ spec: Any, entry: String, known: Set<String>, base: URL, fail: (String, String) -> EXAFSError
  ) throws -> PathModel {
    guard let p = spec as? [String: Any] else { throw fail(entry, "a path must be an object") }
    guard let feff = p["feff"] as? String else { throw fail("\(entry).feff", "missing: the feffNNNN.dat file of the path") }
    let file = feff.hasPrefix("/") ? feff : base.appendingPathComponent(feff).standardized.path
    let path: FeffPath
    do {
      path = try FeffPath(path: file)
    } catch let error as EXAFSError {
      throw fail("\(entry).feff", error.description)
    }
    var values: [String: FitExpression] = [:]
    for (key, raw) in p where key != "feff" {
      guard pathKeys[key] != nil || key == "degen" else {
        throw fail("\(entry).\(key)", "unknown path value (known: s02, e0, deltar, sigma2, third, fourth, ei, degen)")
      }
      let e: FitExpression
      if let v = number(raw) {
        e = .number(v)
      } else if let text = raw as? String {
        e = try parse(text, "\(entry).\(key)", fail)
      } else {
        throw fail("\(entry).\(key)", "must be a number or an expression string")
      }
      for n in e.names.sorted() where !known.contains(n) && !["reff", "degen", "nleg"].contains(n) {
        throw fail("\(entry).\(key)", "unknown parameter '\(n)' in the expression")
      }
      if key == "degen", e.names.contains("degen") { throw fail("\(entry).degen", "degen cannot refer to itself") }
      values[key] = e
    }
    return PathModel(feff: feff, path: path, values: values, entry: entry)
  }

  private static func transform(
    _ spec: Any?, entry: String, fail: (String, String) -> EXAFSError
  ) throws -> FitTransformParameters {
    var t = FitTransformParameters()
    guard let spec else { return t }
    guard let d = spec as? [String: Any] else { throw fail(entry, "must be an object") }
    func num(_ key: String) throws -> Double? {
      guard let raw = d[key] else { return nil }
      guard let v = number(raw), v.isFinite else { throw fail("\(entry).\(key)", "must be a number") }
      return v
    }
    for key in d.keys where FitTransformParameters.CodingKeys(stringValue: key) == nil {
      throw fail("\(entry).\(key)", "unknown transform key (known: kmin kmax dk dk2 window kweight rmin rmax dr rwindow fit_space epsilon_k)")
    }
    if let v = try num("kmin") { t.kmin = v }
    if let v = try num("kmax") { t.kmax = v }
    if let v = try num("dk") { t.dk = v }
    t.dk2 = try num("dk2")
    if let v = try num("rmin") { t.rmin = v }
    if let v = try num("rmax") { t.rmax = v }
    if let v = try num("dr") { t.dr = v }
    t.epsilonK = try num("epsilon_k")
    for key in ["window", "rwindow"] {
      guard let raw = d[key] else { continue }
      guard let name = raw as? String, let w = FTWindowKind(name: name) else {
        throw fail("\(entry).\(key)", "unknown window (known: \(FTWindowKind.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      if key == "window" { t.window = w } else { t.rwindow = w }
    }
    if let raw = d["kweight"] {
      if let v = number(raw) {
        t.kweight = [v]
      } else if let list = raw as? [Any], !list.isEmpty, list.allSatisfy({ number($0) != nil }) {
        t.kweight = list.compactMap(number)
      } else {
        throw fail("\(entry).kweight", "must be a number or a list of numbers")
      }
    }
    if let raw = d["fit_space"] {
      guard let s = raw as? String, let space = FitSpace(rawValue: s.lowercased()) else {
        throw fail("\(entry).fit_space", "must be \"r\", \"k\" or \"q\"")
      }
      t.fitSpace = space
    }
    guard t.kmin >= 0, t.kmax > t.kmin else { throw fail(entry, "need 0 <= kmin < kmax (kmin \(t.kmin), kmax \(t.kmax))") }
    guard t.rmin >= 0, t.rmax > t.rmin else { throw fail(entry, "need 0 <= rmin < rmax (rmin \(t.rmin), rmax \(t.rmax))") }
    guard t.dk >= 0, t.dr >= 0 else { throw fail(entry, "dk and dr must not be negative") }
    guard t.kmax < Double(t.nfft / 2) * t.kstep, t.rmax < Double(t.nfft / 2) * t.rstep else {
      throw fail(entry, "kmax or rmax beyond the transform grid")
    }
    if let e = t.epsilonK, !(e > 0) { throw fail("\(entry).epsilon_k", "must be positive") }
    return t
  }

  /// A cycle of expression parameters, as names from the first back to it, or nil.
  static func findCycle(_ parameters: [FitParameter]) -> [String]? {
    var deps: [String: [String]] = [:]
    for p in parameters { if case .expr(let e, _) = p.kind { deps[p.name] = e.names.sorted() } }
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    var stack: [String] = []
    func visit(_ n: String) -> [String]? {
      if state[n] == 2 { return nil }
      if state[n] == 1 {
        let start = stack.firstIndex(of: n) ?? 0
        return Array(stack[start...]) + [n]
      }
      state[n] = 1
      stack.append(n)
      for d in deps[n] ?? [] { if let c = visit(d) { return c } }
      stack.removeLast()
      state[n] = 2
      return nil
    }
    for n in deps.keys.sorted() { if let c = visit(n) { return c } }
    return nil
  }
}

private func parse(_ text: String, _ entry: String, _ fail: (String, String) -> EXAFSError) throws -> FitExpression {
  do {
    return try FitExpression(parsing: text)
  } catch let e as FitExpression.SyntaxError {
    throw fail(entry, "in '\(text)' at character \(e.position): \(e.message)")
  }
}

private func number(_ raw: Any) -> Double? {
  if raw is String { return nil }
  return (raw as? NSNumber)?.doubleValue
}

private func isIdentifier(_ s: String) -> Bool {
  guard let first = s.first, first.isLetter || first == "_" else { return false }
  return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
}
