// Mutator: deterministic random mutations of input files (bytes, lines, number tokens) for the fuzz tests.
import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast generator whose whole state is one
/// 64-bit word, so a mutant is reproduced from its seed alone.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random edits of a file's bytes, of the kinds that real broken files show: flipped bits,
/// truncation, lost or repeated lines, stray tokens, quotes and NULs, numbers replaced by
/// `nan`, `1e999` or `-0`, blocks of lines out of order.
struct Mutator {
  /// The kinds of edit, each equally likely.
  enum Operation: CaseIterable {
    case flipBits, setBytes, truncate, deleteLines, duplicateLines, swapLines, reverseBlock
    case insertToken, replaceNumber, scaleNumber, spliceChunk, deleteChunk, insertLongLine
  }

  /// Words inserted into files or put in place of numbers: non-finite and extreme numbers,
  /// quotes, comment and separator characters, and Perl that must never run.
  static let tokens: [String] = [
    "nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "-0", "0", "0.0", "-1", "1e-320", "1e308",
    "-1e308", "1D+03", "1.2.3", "abc", "--", "+", "e", ".", "\"", "'", "`", "\0", "#", ";", ",", "(", ")", "=>",
    "[record]", "$old_group", "@x = (", "system('touch /tmp/exafs-pwned')", "`touch exafs-pwned`",
    "qx{touch exafs-pwned}", "\\", "\t", "\r", "\r\n", "99999999999999999999999999999", "\u{FEFF}", "é",
    "\u{202E}", "# XDI/1.0", "# Column.9: x", "# ///", "#----",
  ]

  /// Factors a number may be multiplied by.
  static let factors: [Double] = [1000, 0.001, -1, 0, 1e300, -1e300, 1e-300, 2, 0.5, 1 + 1e-15]

  /// Applies one to four random operations to `bytes`.
  static func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> (bytes: [UInt8], operations: [Operation]) {
    var out = bytes
    var done: [Operation] = []
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      let op = Operation.allCases.randomElement(using: &rng) ?? .flipBits
      out = apply(op, to: out, using: &rng)
      done.append(op)
    }
    return (out, done)
  }

  static func apply(_ op: Operation, to input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
    var b = input
    guard !b.isEmpty else { return Array(token(using: &rng).utf8) }
    switch op {
    case .flipBits:
      for _ in 0..<Int.random(in: 1...8, using: &rng) {
        b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
      }
    case .setBytes:
      let interesting: [UInt8] = [0, 0xFF, 0x7F, 0x0A, 0x0D, 0x22, 0x27, 0x23, 0x60, 0x28, 0x29, 0x3B, 0x2C, 0x20, 0x80]
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        b[Int.random(in: 0..<b.count, using: &rng)] = interesting.randomElement(using: &rng) ?? 0
      }
    case .truncate:
      b.removeLast(Int.random(in: 1...b.count, using: &rng))
    case .deleteLines:
      var lines = splitLines(b)
      let start = Int.random(in: 0..<lines.count, using: &rng)
      let count = Bool.random(using: &rng) ? 1 : Int.random(in: 1...60, using: &rng)
      lines.removeSubrange(start..<min(lines.count, start + count))
      b = joinLines(lines)
    case .duplicateLines:
      var lines = splitLines(b)
      let i = Int.random(in: 0..<lines.count, using: &rng)
      let copies = Int.random(in: 0..<10, using: &rng) == 0 ? 2000 : Int.random(in: 1...5, using: &rng)
      lines.insert(contentsOf: repeatElement(lines[i], count: copies), at: i)
      b = joinLines(lines)
    case .swapLines:
      var lines = splitLines(b)
      lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
      b = joinLines(lines)
    case .reverseBlock:
      var lines = splitLines(b)
      let start = Int.random(in: 0..<lines.count, using: &rng)
      let end = min(lines.count, start + Int.random(in: 2...400, using: &rng))
      lines[start..<end].reverse()
      b = joinLines(lines)
    case .insertToken:
      let at = Int.random(in: 0...b.count, using: &rng)
      let word = token(using: &rng)
      b.insert(contentsOf: Array((Bool.random(using: &rng) ? " \(word) " : word).utf8), at: at)
    case .replaceNumber:
      guard let range = numberToken(in: b, near: Int.random(in: 0..<b.count, using: &rng)) else { break }
      b.replaceSubrange(range, with: Array(token(using: &rng, numbersOnly: true).utf8))
    case .scaleNumber:
      guard let range = numberToken(in: b, near: Int.random(in: 0..<b.count, using: &rng)),
        let value = Double(String(decoding: b[range], as: UTF8.self))
      else { break }
      let factor = factors.randomElement(using: &rng) ?? 1
      b.replaceSubrange(range, with: Array("\(value * factor)".utf8))
    case .spliceChunk:
      let from = Int.random(in: 0..<b.count, using: &rng)
      let chunk = Array(b[from..<min(b.count, from + Int.random(in: 1...256, using: &rng))])
      b.insert(contentsOf: chunk, at: Int.random(in: 0...b.count, using: &rng))
    case .deleteChunk:
      let from = Int.random(in: 0..<b.count, using: &rng)
      b.removeSubrange(from..<min(b.count, from + Int.random(in: 1...512, using: &rng)))
    case .insertLongLine:
      let unit = Array((["1 ", "x", "'", "(", "9"].randomElement(using: &rng) ?? "x").utf8)
      let count = Int.random(in: 1_000...300_000, using: &rng)
      var line: [UInt8] = [0x0A]
      line.reserveCapacity(unit.count * count + 2)
      for _ in 0..<count { line += unit }
      line.append(0x0A)
      b.insert(contentsOf: line, at: lineStart(in: b, near: Int.random(in: 0..<b.count, using: &rng)))
    }
    return b
  }

  static func token(using rng: inout SplitMix64, numbersOnly: Bool = false) -> String {
    let numeric = ["nan", "NaN", "inf", "-inf", "1e999", "-1e999", "-0", "0", "-1", "1e-320", "1e308", "1D+03", "1.2.3"]
    return (numbersOnly ? numeric : tokens).randomElement(using: &rng) ?? "nan"
  }

  /// Lines without their `\n` terminators (at least one, possibly empty).
  static func splitLines(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
    b.split(separator: 0x0A, omittingEmptySubsequences: false)
  }

  static func joinLines(_ lines: [ArraySlice<UInt8>]) -> [UInt8] {
    Array(lines.joined(separator: [0x0A]))
  }

  /// The byte range of the number-like word (digits, `.`, `e`, `E`, `+`, `-`, with a digit) at or
  /// after `offset`, if any within 4 kB.
  static func numberToken(in b: [UInt8], near offset: Int) -> Range<Int>? {
    func isNumberByte(_ c: UInt8) -> Bool {
      (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x65 || c == 0x45 || c == 0x2B || c == 0x2D
    }
    var i = offset
    let limit = min(b.count, offset + 4096)
    while i < limit, !(b[i] >= 0x30 && b[i] <= 0x39) { i += 1 }
    guard i < limit else { return nil }
    var start = i
    while start > 0, isNumberByte(b[start - 1]) { start -= 1 }
    var end = i
    while end < b.count, isNumberByte(b[end]) { end += 1 }
    return start..<end
  }

  /// The offset of the start of the line containing `offset`.
  static func lineStart(in b: [UInt8], near offset: Int) -> Int {
    var i = offset
    while i > 0, b[i - 1] != 0x0A { i -= 1 }
    return i
  }
}
