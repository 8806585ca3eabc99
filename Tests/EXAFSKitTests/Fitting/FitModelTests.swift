// Fit models: the expression language, and clear errors for bad models (naming the file and the entry).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct FitExpressionTests {
  func value(_ text: String, _ names: [String: Double] = [:]) throws -> Double {
    try FitExpression(parsing: text).evaluate { names[$0] ?? .nan }
  }

  @Test func precedenceAndAssociativity() throws {
    #expect(try value("1 + 2 * 3") == 7)
    #expect(try value("(1 + 2) * 3") == 9)
    #expect(try value("2 ^ 3 ^ 2") == 512)  // right-associative
    #expect(try value("-2 ^ 2") == -4)  // -(2^2)
    #expect(try value("2 ^ -1") == 0.5)
    #expect(try value("8 / 4 / 2") == 1)  // left-associative
    #expect(try value("1.5e-3 * 2") == 0.003)
  }

  @Test func functionsAndNames() throws {
    #expect(try value("sqrt(16) + abs(-2) + min(3, 1, 2) + max(1, 5)") == 12)
    #expect(abs(try value("exp(log(2.5))") - 2.5) < 1e-15)
    #expect(abs(try value("sin(0) + cos(0)") - 1) < 1e-15)
    #expect(try value("amp*n1/6", ["amp": 0.9, "n1": 6]) == 0.9)
    #expect(try FitExpression(parsing: "alpha*reff + ss_1").names == ["alpha", "reff", "ss_1"])
  }

  @Test(arguments: ["amp*", "(amp", "amp)", "foo(1)", "sqrt(1, 2)", "max(1)", "2 $ 3", ""])
  func syntaxErrorsAreReported(text: String) {
    #expect(throws: FitExpression.SyntaxError.self) { try FitExpression(parsing: text) }
  }
}

struct FitModelErrorTests {
  static let source = fittingFixtures().appendingPathComponent("cases/inline.model.json").path
  nonisolated(unsafe) static let path: [String: Any] = [
    "feff": "../feff6/tacl6/feff0001.dat", "s02": "amp", "e0": "de0", "deltar": "dr", "sigma2": "ss",
  ]
  nonisolated(unsafe) static let parameters: [String: Any] = [
    "amp": ["guess": 0.9], "de0": ["guess": 0], "dr": ["guess": 0], "ss": ["guess": 0.003],
  ]

  func model(parameters: [String: Any] = parameters, path: [String: Any] = path, transform: [String: Any] = [:]) throws
    -> FitModel
  {
    try FitModel(json: ["parameters": parameters, "paths": [path], "transform": transform], source: Self.source)
  }

  /// The error's message, which must name the model file and the entry.
  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch {
      return (error as? EXAFSError)?.description ?? "\(error)"
    }
  }

  @Test func unknownParameterInAnExpression() {
    var p = Self.parameters
    p["ss2"] = ["expr": "2*ss3"]
    let m = message { _ = try model(parameters: p) }
    #expect(m.contains("inline.model.json") && m.contains("parameters.ss2") && m.contains("unknown parameter 'ss3'"), "\(m)")
  }

  @Test func unknownParameterInAPathValue() {
    var path = Self.path
    path["sigma2"] = "ss + extra"
    let m = message { _ = try model(path: path) }
    #expect(m.contains("inline.model.json") && m.contains("paths[0].sigma2") && m.contains("'extra'"), "\(m)")
  }

  @Test func cycleOfExpressions() {
    var p = Self.parameters
    p["a"] = ["expr": "b + 1"]
    p["b"] = ["expr": "2*c"]
    p["c"] = ["expr": "a/2"]
    let m = message { _ = try model(parameters: p) }
    #expect(m.contains("parameters.a") && m.contains("cycle: a -> b -> c -> a"), "\(m)")
  }

  @Test func pathFileThatIsNotAFeffFile() {
    var path = Self.path
    path["feff"] = "../../../../../SampleSpectra/simulated/tacl6_bend00.chi"
    let m = message { _ = try model(path: path) }
    #expect(m.contains("inline.model.json") && m.contains("paths[0].feff") && m.contains("not a FEFF path file"), "\(m)")
  }

  @Test func missingPathFile() {
    var path = Self.path
    path["feff"] = "feff9999.dat"
    let m = message { _ = try model(path: path) }
    #expect(m.contains("paths[0].feff") && m.contains("feff9999.dat"), "\(m)")
  }

  @Test func syntaxErrorNamesEntryAndPosition() {
    var path = Self.path
    path["deltar"] = "dr*"
    let m = message { _ = try model(path: path) }
    #expect(m.contains("paths[0].deltar") && m.contains("at character 4"), "\(m)")
  }

  @Test func badParameterSpecs() {
    let cases: [([String: Any], String)] = [
      (["amp": ["guess": 0.9, "value": 1]], "parameters.amp"),
      (["amp": ["guess": "big"]], "guess must be a number"),
      (["reff": ["value": 2]], "reserved"),
      (["amp": ["expr": "reff*2"]], "path constant"),
    ]
    for (p, expected) in cases {
      let m = message { _ = try model(parameters: p) }
      #expect(m.contains(expected), "\(m)")
    }
  }

  @Test func badTransform() {
    #expect(message { _ = try model(transform: ["kmin": 10, "kmax": 5]) }.contains("kmin < kmax"))
    #expect(message { _ = try model(transform: ["fit_space": "w"]) }.contains("transform.fit_space"))
    #expect(message { _ = try model(transform: ["window": "box"]) }.contains("unknown window"))
    #expect(message { _ = try model(transform: ["kmn": 3]) }.contains("transform.kmn"))
  }

  /// chi(k) data to k = 10 and a fit to kmax = 14.
  @Test func fitRangeOutsideTheData() throws {
    let m = try model(transform: ["kmin": 3, "kmax": 14, "rmin": 1, "rmax": 3])
    let k = (0...200).map { Double($0) * 0.05 }
    let data = FitData(name: "short", source: "short.chi", k: k, chi: k.map { sin(2 * 2.37 * $0) / max($0, 1) })
    let text = message { _ = try feffit(model: m, data: [data]) }
    #expect(text.contains("short.chi") && text.contains("outside the data"), "\(text)")
  }

  /// 4 variables, N_idp = 1 + 2 (0.3)(3)/pi = 1.57.
  @Test func moreVariablesThanIndependentPoints() throws {
    let m = try model(transform: ["kmin": 3, "kmax": 6, "rmin": 2.0, "rmax": 2.3])
    let path = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path
    let text = message { _ = try feffit(model: m, data: [try FitData.read(path: path)]) }
    #expect(text.contains("inline.model.json") && text.contains("4 variables but only 1.57 independent points"), "\(text)")
  }

  @Test func unusedGuessIsFixedAndReported() throws {
    var p = Self.parameters
    p["spare"] = ["guess": 1.0]
    let m = try model(parameters: p, transform: ["kmin": 3, "kmax": 14, "dk": 1, "window": "hanning", "rmin": 1.4, "rmax": 2.9])
    let path = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path
    let r = try feffit(model: m, data: [try FitData.read(path: path)])
    #expect(r.statistics.nVariables == 4)
    #expect(r.warnings.contains { $0.contains("spare") })
  }
}

struct FeffInputTests {
  func write(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cluster-\(UUID().uuidString).xyz")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func xyzBecomesFeff6CardsRelativeToTheAbsorber() throws {
    let path = try write("3\ncomment\nTa 1 1 1\nCl 3.37 1 1\nNa 1 1 4.9\n")
    var p = FeffRunParameters()
    p.rmax = 4.5
    let inp = try feffInput(clusterPath: path, parameters: p)
    #expect(inp.contains("HOLE 4 1.0") && inp.contains("RMAX 4.5") && inp.contains("NLEG 4"))
    #expect(inp.contains("  0 73 Ta") && inp.contains("  1 17 Cl") && inp.contains("  2 11 Na"))
    #expect(inp.contains("     2.37000    0.00000    0.00000 1 Cl"), "\(inp)")
    #expect(inp.contains("     0.00000    0.00000    3.90000 2 Na"), "\(inp)")
  }

  @Test func badXYZLinesAreReportedWithTheirLine() throws {
    let unknown = try write("Ta 0 0 0\nXx 2.37 0 0\n")
    #expect(throws: EXAFSError.malformed(SourceLocation(file: unknown, line: 2, column: 1), "unknown element 'Xx'")) {
      _ = try feffInput(clusterPath: unknown, parameters: FeffRunParameters())
    }
    let short = try write("Ta 0 0 0\nCl 2.37 0\n")
    #expect(throws: EXAFSError.malformed(SourceLocation(file: short, line: 2), "expected 'Element x y z', found 'Cl 2.37 0'")) {
      _ = try feffInput(clusterPath: short, parameters: FeffRunParameters())
    }
  }

  @Test func deeplyNestedExpressionIsAnErrorNotACrash() {
    let text = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
    #expect(throws: FitExpression.SyntaxError.self) { try FitExpression(parsing: text) }
    let signs = String(repeating: "-", count: 5000) + "1"
    #expect(throws: FitExpression.SyntaxError.self) { try FitExpression(parsing: signs) }
  }
}
