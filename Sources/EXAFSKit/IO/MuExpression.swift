// MuExpression: a small, safe arithmetic language for `--mu` (e.g. `ln(i0/it)`), parsed and evaluated over columns.
import Foundation

/// An arithmetic expression over the columns of a data file, such as `ln(i0/it)` or `if/i0`.
///
/// The grammar, parsed by recursive descent (nothing is ever handed to an interpreter):
/// ```
/// expr    := term (('+' | '-') term)*
/// term    := unary (('*' | '/') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := primary (('^' | '**') unary)?
/// primary := number | column | function '(' expr ')' | '(' expr ')'
/// ```
/// Columns are named case-insensitively (letters, digits, `_` and `.`, starting with a letter or
/// `_`), or by 1-based index as `$3` or `col3`. Functions: `ln` and `log` (both natural, as in
/// Larch), `log10`, `exp`, `sqrt`, `abs`.
public struct MuExpression: Sendable, Equatable, CustomStringConvertible {
  /// The expression as written.
  public let text: String
  let root: Node

  /// The name of the parameter in error messages.
  static let parameter = "mu"
  /// Longest accepted expression, characters.
  static let maxLength = 1000
  /// Deepest accepted nesting of parentheses and operators.
  static let maxDepth = 64

  /// Parses `text`.
  ///
  /// - Throws: `.invalidParameter("mu", ...)` naming the 1-based character where the syntax breaks.
  public init(_ text: String) throws {
    guard text.count <= Self.maxLength else {
      throw EXAFSError.invalidParameter(Self.parameter, "the expression is longer than \(Self.maxLength) characters")
    }
    var parser = Parser(characters: Array(text))
    root = try parser.parseAll()
    self.text = text
  }

  public var description: String { text }

  /// Column references in the expression, in order of appearance (names lower-cased).
  public var referencedColumns: [String] { root.columnReferences }

  /// A point where a function was given an argument outside its domain (e.g. ln of a negative number).
  public struct DomainProblem: Sendable, Equatable {
    /// 0-based row of the first offending point.
    public var row: Int
    /// The function whose argument was out of range (`ln`, `log`, `log10`, `sqrt`).
    public var function: String
    /// The offending argument.
    public var argument: Double
  }

  /// The values of the expression on every row, and the first domain problem met, if any.
  public struct Evaluation: Sendable, Equatable {
    /// One value per row; NaN or infinite where the arithmetic failed.
    public var values: [Double]
    /// The first row where `ln`, `log`, `log10` (argument not positive and finite) or `sqrt`
    /// (negative argument) got an invalid argument.
    public var domainProblem: DomainProblem?
  }

  /// Evaluates the expression on whole columns.
  ///
  /// - Parameters:
  ///   - names: column names, in file order (used for names and for `$N` / `colN`).
  ///   - columns: the column values, `columns[i]` named `names[i]`; all of one length.
  /// - Throws: `.invalidParameter("mu", ...)` for a column that does not exist, listing those that do.
  public func evaluate(names: [String], columns: [[Double]]) throws -> Evaluation {
    let count = columns.first?.count ?? 0
    var context = EvaluationContext(names: names, columns: columns, count: count)
    let values = try root.evaluate(&context)
    return Evaluation(values: values, domainProblem: context.problem)
  }

  // MARK: - Syntax tree

  indirect enum Node: Sendable, Equatable {
    case number(Double)
    case column(String)
    case index(Int)
    case negate(Node)
    case binary(Character, Node, Node)
    case call(String, Node)

    var columnReferences: [String] {
      switch self {
      case .number: return []
      case .column(let name): return [name]
      case .index(let i): return ["$\(i)"]
      case .negate(let a), .call(_, let a): return a.columnReferences
      case .binary(_, let a, let b): return a.columnReferences + b.columnReferences
      }
    }

    func evaluate(_ context: inout EvaluationContext) throws -> [Double] {
      switch self {
      case .number(let value):
        return [Double](repeating: value, count: context.count)
      case .column(let name):
        return try context.column(named: name)
      case .index(let i):
        return try context.column(at: i, written: "$\(i)")
      case .negate(let a):
        return try a.evaluate(&context).map { -$0 }
      case .binary(let op, let a, let b):
        let x = try a.evaluate(&context)
        let y = try b.evaluate(&context)
        switch op {
        case "+": return zip(x, y).map { $0 + $1 }
        case "-": return zip(x, y).map { $0 - $1 }
        case "*": return zip(x, y).map { $0 * $1 }
        case "/": return zip(x, y).map { $0 / $1 }
        default: return zip(x, y).map { Foundation.pow($0, $1) }
        }
      case .call(let function, let a):
        let x = try a.evaluate(&context)
        return context.apply(function, to: x)
      }
    }
  }

  struct EvaluationContext {
    var names: [String]
    var columns: [[Double]]
    var count: Int
    var problem: DomainProblem?

    func column(named name: String) throws -> [Double] {
      if let i = names.firstIndex(where: { $0.lowercased() == name }) { return columns[i] }
      if name.hasPrefix("col"), let i = Int(name.dropFirst(3)) { return try column(at: i, written: name) }
      throw EXAFSError.invalidParameter(
        MuExpression.parameter, "unknown column '\(name)'; the file has columns: \(listing)")
    }

    func column(at index: Int, written: String) throws -> [Double] {
      guard index >= 1, index <= columns.count else {
        throw EXAFSError.invalidParameter(
          MuExpression.parameter,
          "no column \(written): the file has \(columns.count) columns (\(listing)); columns count from 1")
      }
      return columns[index - 1]
    }

    var listing: String {
      names.enumerated().map { "\($0.element) ($\($0.offset + 1))" }.joined(separator: ", ")
    }

    mutating func apply(_ function: String, to x: [Double]) -> [Double] {
      let positiveOnly = function == "ln" || function == "log" || function == "log10"
      if positiveOnly || function == "sqrt" {
        // An infinite argument of a logarithm comes from a zero denominator, e.g. ln(i0/it) with it = 0.
        let bad = x.firstIndex { positiveOnly ? !($0 > 0 && $0.isFinite) : $0 < 0 }
        if let bad, problem == nil || bad < (problem?.row ?? Int.max) {
          problem = DomainProblem(row: bad, function: function, argument: x[bad])
        }
      }
      switch function {
      case "ln", "log": return x.map { Foundation.log($0) }
      case "log10": return x.map { Foundation.log10($0) }
      case "exp": return x.map { Foundation.exp($0) }
      case "sqrt": return x.map { $0.squareRoot() }
      default: return x.map { Swift.abs($0) }
      }
    }
  }

  // MARK: - Parser

  static let functions: Set<String> = ["ln", "log", "log10", "exp", "sqrt", "abs"]

  struct Parser {
    var characters: [Character]
    var position = 0
    var depth = 0

    mutating func parseAll() throws -> Node {
      skipSpaces()
      guard position < characters.count else { throw error("the expression is empty") }
      let node = try parseExpression()
      skipSpaces()
      if position < characters.count {
        throw error("unexpected '\(characters[position])'")
      }
      return node
    }

    mutating func parseExpression() throws -> Node {
      try enter()
      defer { depth -= 1 }
      var node = try parseTerm()
      while let op = peekOperator(["+", "-"]) {
        position += 1
        node = .binary(op, node, try parseTerm())
      }
      return node
    }

    mutating func parseTerm() throws -> Node {
      var node = try parseUnary()
      while let op = peekOperator(["*", "/"]) {
        if op == "*", position + 1 < characters.count, characters[position + 1] == "*" { break }
        position += 1
        node = .binary(op, node, try parseUnary())
      }
      return node
    }

    mutating func parseUnary() throws -> Node {
      try enter()
      defer { depth -= 1 }
      if let op = peekOperator(["-", "+"]) {
        position += 1
        let operand = try parseUnary()
        return op == "-" ? .negate(operand) : operand
      }
      return try parsePower()
    }

    mutating func parsePower() throws -> Node {
      let base = try parsePrimary()
      skipSpaces()
      if position < characters.count, characters[position] == "^" {
        position += 1
      } else if position + 1 < characters.count, characters[position] == "*", characters[position + 1] == "*" {
        position += 2
      } else {
        return base
      }
      return .binary("^", base, try parseUnary())
    }

    mutating func parsePrimary() throws -> Node {
      skipSpaces()
      guard position < characters.count else {
        throw error("the expression ends too early: expected a number, a column or '('")
      }
      let c = characters[position]
      if c == "(" {
        position += 1
        let inner = try parseExpression()
        try expect(")")
        return inner
      }
      if c == "$" {
        position += 1
        let digits = take { $0.isASCII && $0.isNumber }
        guard let index = Int(digits), index >= 1 else {
          throw error("expected a column number after '$', such as $2")
        }
        return .index(index)
      }
      if c.isASCII && (c.isNumber || c == ".") { return try parseNumber() }
      if c.isLetter || c == "_" {
        let nameStart = position
        let name = take { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.lowercased()
        skipSpaces()
        if position < characters.count, characters[position] == "(" {
          guard MuExpression.functions.contains(name) else {
            throw error("unknown function '\(name)'; known: ln, log, log10, exp, sqrt, abs", at: nameStart)
          }
          position += 1
          let argument = try parseExpression()
          try expect(")")
          return .call(name, argument)
        }
        return .column(name)
      }
      throw error("expected a number, a column or '(' but found '\(c)'")
    }

    mutating func parseNumber() throws -> Node {
      let start = position
      _ = take { $0.isASCII && ($0.isNumber || $0 == ".") }
      if position < characters.count, characters[position] == "e" || characters[position] == "E" {
        var look = position + 1
        if look < characters.count, characters[look] == "+" || characters[look] == "-" { look += 1 }
        if look < characters.count, characters[look].isASCII, characters[look].isNumber {
          position = look
          _ = take { $0.isASCII && $0.isNumber }
        }
      }
      let word = String(characters[start..<position])
      guard let value = Double(word) else { throw error("malformed number '\(word)'", at: start) }
      return .number(value)
    }

    mutating func enter() throws {
      depth += 1
      if depth > MuExpression.maxDepth { throw error("the expression is nested too deeply") }
    }

    mutating func skipSpaces() {
      while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    mutating func peekOperator(_ ops: [Character]) -> Character? {
      skipSpaces()
      guard position < characters.count, ops.contains(characters[position]) else { return nil }
      return characters[position]
    }

    mutating func expect(_ c: Character) throws {
      skipSpaces()
      guard position < characters.count, characters[position] == c else {
        let found = position < characters.count ? "'\(characters[position])'" : "the end"
        throw error("expected '\(c)' but found \(found)")
      }
      position += 1
    }

    mutating func take(while predicate: (Character) -> Bool) -> String {
      let start = position
      while position < characters.count, predicate(characters[position]) { position += 1 }
      return String(characters[start..<position])
    }

    func error(_ message: String, at index: Int? = nil) -> EXAFSError {
      .invalidParameter(MuExpression.parameter, "\(message) at character \((index ?? position) + 1)")
    }
  }
}
