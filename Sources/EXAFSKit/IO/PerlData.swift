// PerlData: parses the Perl Data::Dumper statements of Athena projects strictly as data; nothing is evaluated.
import Foundation

/// A Perl value as written by Data::Dumper: a scalar (quoted string or bareword), `undef`, or a list.
enum PerlValue: Sendable, Equatable {
  /// A string or number, with the byte offset in its line where it starts (for error columns).
  case scalar(String, offset: Int)
  /// Perl's `undef`.
  case undef
  /// A `( ... )`, `[ ... ]` or `{ ... }` list; `=>` is read as a comma.
  case list([PerlValue])

  /// The value as text: scalars as is, `undef` empty, lists joined with `, `.
  var text: String {
    switch self {
    case .scalar(let s, _): return s
    case .undef: return ""
    case .list(let items): return items.map(\.text).joined(separator: ", ")
    }
  }
}

/// One parsed statement: `$name = value;`, `@name = (...);` or `%name = (...);`.
struct PerlStatement: Sendable, Equatable {
  /// `$`, `@` or `%`.
  var sigil: Character
  /// The variable name, e.g. `old_group`, `args`, `x`.
  var name: String
  /// The assigned value.
  var value: PerlValue
}

/// A strict parser for one line of Data::Dumper output.
///
/// Accepts single-quoted strings (with `\'` and `\\`), double-quoted strings (escapes are decoded,
/// `$` and `@` are left as text), barewords and numbers, `,`, `=>` and brackets. Anything else,
/// such as a backtick, a function call or a second statement, is a `.malformed` error at its column.
struct PerlLineParser {
  private let bytes: [UInt8]
  private let line: TextLine
  private let file: String
  private let maxItems: Int
  private var position = 0
  private var depth = 0

  init(line: TextLine, file: String, maxItems: Int = InputLimits.maxArrayPoints) {
    self.bytes = Array(line.text.utf8)
    self.line = line
    self.file = file
    self.maxItems = maxItems
  }

  /// Parses the whole line as `SIGIL name = value ;` (a trailing `# comment` is allowed).
  mutating func parseStatement() throws -> PerlStatement {
    skipSpaces()
    guard position < bytes.count, [UInt8(ascii: "$"), UInt8(ascii: "@"), UInt8(ascii: "%")].contains(bytes[position])
    else { throw error("expected a Perl assignment such as `@x = (...);`") }
    let sigil = Character(Unicode.Scalar(bytes[position]))
    position += 1
    let name = identifier()
    guard !name.isEmpty else { throw error("expected a variable name after '\(sigil)'") }
    try expect("=")
    let value = try parseValue()
    try expect(";")
    skipSpaces()
    if position < bytes.count, bytes[position] != UInt8(ascii: "#") {
      throw error("unexpected text after the end of the statement")
    }
    return PerlStatement(sigil: sigil, name: name, value: value)
  }

  private mutating func parseValue() throws -> PerlValue {
    skipSpaces()
    guard position < bytes.count else { throw error("the line ends where a value was expected") }
    let byte = bytes[position]
    switch byte {
    case UInt8(ascii: "("): return try parseList(closing: UInt8(ascii: ")"))
    case UInt8(ascii: "["): return try parseList(closing: UInt8(ascii: "]"))
    case UInt8(ascii: "{"): return try parseList(closing: UInt8(ascii: "}"))
    case UInt8(ascii: "'"): return try parseSingleQuoted()
    case UInt8(ascii: "\""): return try parseDoubleQuoted()
    default:
      let start = position
      while position < bytes.count, isBareword(bytes[position]) { position += 1 }
      guard position > start else { throw error("unexpected '\(character(at: start))' where a value was expected") }
      let word = String(decoding: bytes[start..<position], as: UTF8.self)
      return word == "undef" ? .undef : .scalar(word, offset: start)
    }
  }

  private mutating func parseList(closing: UInt8) throws -> PerlValue {
    depth += 1
    defer { depth -= 1 }
    guard depth <= 32 else { throw error("lists are nested too deeply") }
    position += 1
    var items: [PerlValue] = []
    while true {
      skipSpaces()
      if position < bytes.count, bytes[position] == closing {
        position += 1
        return .list(items)
      }
      items.append(try parseValue())
      if items.count > maxItems {
        throw EXAFSError.tooLarge(
          SourceLocation(file: file, line: line.number), "a list has more than \(maxItems) elements")
      }
      skipSpaces()
      guard position < bytes.count else {
        throw error("the list is not closed with '\(Character(Unicode.Scalar(closing)))' on this line")
      }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "="), position + 1 < bytes.count,
        bytes[position + 1] == UInt8(ascii: ">")
      {
        position += 2
      } else if bytes[position] != closing {
        throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))' but found '\(character(at: position))'")
      }
    }
  }

  private mutating func parseSingleQuoted() throws -> PerlValue {
    let start = position
    position += 1
    var out: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\\"), position + 1 < bytes.count,
        bytes[position + 1] == UInt8(ascii: "'") || bytes[position + 1] == UInt8(ascii: "\\")
      {
        out.append(bytes[position + 1])
        position += 2
      } else if byte == UInt8(ascii: "'") {
        position += 1
        return .scalar(String(decoding: out, as: UTF8.self), offset: start)
      } else {
        out.append(byte)
        position += 1
      }
    }
    throw error("unbalanced quote: the string starting here is not closed on this line", at: start)
  }

  private mutating func parseDoubleQuoted() throws -> PerlValue {
    let start = position
    position += 1
    var out: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        return .scalar(String(decoding: out, as: UTF8.self), offset: start)
      }
      guard byte == UInt8(ascii: "\\"), position + 1 < bytes.count else {
        out.append(byte)
        position += 1
        continue
      }
      let escaped = bytes[position + 1]
      position += 2
      switch escaped {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "x"): out.append(contentsOf: hexEscape())
      default: out.append(escaped)
      }
    }
    throw error("unbalanced quote: the string starting here is not closed on this line", at: start)
  }

  /// `\x{e4}` or `\xe4` inside a double-quoted string, as UTF-8 bytes.
  private mutating func hexEscape() -> [UInt8] {
    var digits = ""
    if position < bytes.count, bytes[position] == UInt8(ascii: "{") {
      guard let close = bytes[position...].firstIndex(of: UInt8(ascii: "}")) else { return [] }
      digits = String(decoding: bytes[(position + 1)..<close], as: UTF8.self)
      position = close + 1
    } else {
      let end = min(position + 2, bytes.count)
      digits = String(decoding: bytes[position..<end], as: UTF8.self)
      position = end
    }
    guard let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) else { return [] }
    return Array(String(Character(scalar)).utf8)
  }

  private func isBareword(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "+")
  }

  private mutating func identifier() -> String {
    let start = position
    while position < bytes.count, isBareword(bytes[position]), bytes[position] != UInt8(ascii: "-"),
      bytes[position] != UInt8(ascii: "+"), bytes[position] != UInt8(ascii: ".")
    {
      position += 1
    }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func expect(_ symbol: Character) throws {
    skipSpaces()
    guard position < bytes.count, let ascii = symbol.asciiValue, bytes[position] == ascii else {
      let found = position < bytes.count ? "'\(character(at: position))'" : "the end of the line"
      throw error("expected '\(symbol)' but found \(found)")
    }
    position += 1
  }

  private mutating func skipSpaces() {
    while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
  }

  private func character(at offset: Int) -> Character {
    let text = String(decoding: bytes[offset...], as: UTF8.self)
    return text.first ?? " "
  }

  /// The 1-based character column of byte `offset` in this line.
  func column(ofByte offset: Int) -> Int {
    String(decoding: bytes[0..<min(offset, bytes.count)], as: UTF8.self).count + 1
  }

  private func error(_ message: String, at offset: Int? = nil) -> EXAFSError {
    .malformed(
      SourceLocation(file: file, line: line.number, column: column(ofByte: offset ?? position)),
      "\(message) (Athena project lines are read as data, never run)")
  }
}
