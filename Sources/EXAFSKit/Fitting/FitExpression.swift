// Arithmetic expressions of fit models: numbers, names, + - * / ^, parentheses and a few functions.
import Foundation

/// A parsed expression such as `amp*n1/6`, `alpha*reff` or `sqrt(ss1^2 + 0.001)`.
///
/// Grammar: sums and differences of products and quotients of powers (`^`, right-associative,
/// binding tighter than unary minus on its left as in `-x^2 = -(x^2)`), of numbers, names, calls
/// `sqrt exp log sin cos abs` (one argument) and `min max` (two or more), and parenthesized
/// expressions. Names are letters, digits and `_`, starting with a letter or `_`.
public indirect enum FitExpression: Sendable, Equatable {
  case number(Double)
  case name(String)
  case negate(FitExpression)
  case binary(Character, FitExpression, FitExpression)
  case call(String, [FitExpression])

  /// Functions an expression may call, with their number of arguments (nil: two or more).
  static let functions: [String: Int?] = [
    "sqrt": 1, "exp": 1, "log": 1, "sin": 1, "cos": 1, "abs": 1, "min": nil, "max": nil,
  ]

  /// Parses `text`.
  /// - Throws: `FitExpression.SyntaxError` with the 1-based character position of the problem.
  public init(parsing text: String) throws {
    var parser = Parser(chars: Array(text))
    let e = try parser.sum()
    parser.skipSpaces()
    if parser.i < parser.chars.count {
      throw SyntaxError(position: parser.i + 1, message: "unexpected '\(parser.chars[parser.i])'")
    }
    self = e
  }

  /// A syntax error in an expression: 1-based position and what is wrong.
  public struct SyntaxError: Error, Sendable, Equatable {
    public var position: Int
    public var message: String
  }

  /// Every name the expression uses.
  public var names: Set<String> {
    switch self {
    case .number: return []
    case .name(let n): return [n]
    case .negate(let e): return e.names
    case .binary(_, let a, let b): return a.names.union(b.names)
    case .call(_, let args): return args.reduce(into: Set<String>()) { $0.formUnion($1.names) }
    }
  }

  /// Value with the names looked up in `lookup` (which must know every name in `names`).
  public func evaluate(_ lookup: (String) -> Double) -> Double {
    switch self {
    case .number(let v): return v
    case .name(let n): return lookup(n)
    case .negate(let e): return -e.evaluate(lookup)
    case .binary(let op, let a, let b):
      let x = a.evaluate(lookup), y = b.evaluate(lookup)
      switch op {
      case "+": return x + y
      case "-": return x - y
      case "*": return x * y
      case "/": return x / y
      default: return pow(x, y)
      }
    case .call(let f, let args):
      let v = args.map { $0.evaluate(lookup) }
      switch f {
      case "sqrt": return v[0].squareRoot()
      case "exp": return exp(v[0])
      case "log": return log(v[0])
      case "sin": return sin(v[0])
      case "cos": return cos(v[0])
      case "abs": return abs(v[0])
      case "min": return v.min() ?? .nan
      default: return v.max() ?? .nan
      }
    }
  }

  private struct Parser {
    let chars: [Character]
    var i = 0
    /// Nesting depth of parentheses, calls and unary signs; limited so that hostile input cannot
    /// exhaust the stack.
    var depth = 0
    static let maxDepth = 100

    mutating func enter() throws {
      depth += 1
      if depth > Self.maxDepth { throw SyntaxError(position: i + 1, message: "nested more than \(Self.maxDepth) levels deep") }
    }

    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    mutating func peek() -> Character? {
      skipSpaces()
      return i < chars.count ? chars[i] : nil
    }

    mutating func sum() throws -> FitExpression {
      var e = try product()
      while let c = peek(), c == "+" || c == "-" {
        i += 1
        e = .binary(c, e, try product())
      }
      return e
    }

    mutating func product() throws -> FitExpression {
      var e = try unary()
      while let c = peek(), c == "*" || c == "/" {
        i += 1
        e = .binary(c, e, try unary())
      }
      return e
    }

    mutating func unary() throws -> FitExpression {
      try enter()
      defer { depth -= 1 }
      if let c = peek(), c == "-" || c == "+" {
        i += 1
        let e = try unary()
        return c == "-" ? .negate(e) : e
      }
      return try power()
    }

    mutating func power() throws -> FitExpression {
      let base = try atom()
      if peek() == "^" {
        i += 1
        return .binary("^", base, try unary())
      }
      return base
    }

    mutating func atom() throws -> FitExpression {
      guard let c = peek() else { throw SyntaxError(position: i + 1, message: "expression ends too early") }
      if c == "(" {
        i += 1
        let e = try sum()
        guard peek() == ")" else { throw SyntaxError(position: i + 1, message: "missing ')'") }
        i += 1
        return e
      }
      if c.isNumber || c == "." { return try number() }
      if c.isLetter || c == "_" {
        let start = i
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
        let name = String(chars[start..<i])
        if peek() == "(" {
          guard let arity = FitExpression.functions[name] else {
            throw SyntaxError(
              position: start + 1,
              message: "unknown function '\(name)' (known: sqrt, exp, log, sin, cos, abs, min, max)")
          }
          i += 1
          var args = [try sum()]
          while peek() == "," {
            i += 1
            args.append(try sum())
          }
          guard peek() == ")" else { throw SyntaxError(position: i + 1, message: "missing ')' after the arguments of \(name)") }
          i += 1
          if let arity, args.count != arity {
            throw SyntaxError(position: start + 1, message: "\(name) takes \(arity) argument, not \(args.count)")
          }
          if arity == nil, args.count < 2 {
            throw SyntaxError(position: start + 1, message: "\(name) takes two or more arguments")
          }
          return .call(name, args)
        }
        return .name(name)
      }
      throw SyntaxError(position: i + 1, message: "unexpected '\(c)'")
    }

    mutating func number() throws -> FitExpression {
      let start = i
      while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
      if i < chars.count, chars[i] == "e" || chars[i] == "E" {
        var j = i + 1
        if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
        if j < chars.count, chars[j].isNumber {
          i = j
          while i < chars.count, chars[i].isNumber { i += 1 }
        }
      }
      guard let v = Double(String(chars[start..<i])) else {
        throw SyntaxError(position: start + 1, message: "'\(String(chars[start..<i]))' is not a number")
      }
      return .number(v)
    }
  }
}
