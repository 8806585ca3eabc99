// The fast number formatter agrees with C's %.{p}g, in all three ways of appending.
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct NumberFormattingTests {
  /// Random values over 40 decades, plus edge cases of every layout.
  static func sampleValues() -> [Double] {
    var values: [Double] = [
      1, -1, 0.05, 2.5, 0.5, 1e-5, 9.99999999e-6, 123456789, 1e8, 99999999.7, 0.1 + 0.2, .pi, -2.718281828e-12,
      6.02214076e23, 1e-300, 100, 1e5, 1e6, 123456.7, 0.00012345, 1.5e-5, 12_000_000, 99999.95, -734.135,
    ]
    var state: UInt64 = 42
    for i in 0..<20000 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      let mant = Double(state >> 11) / Double(1 << 53)
      let exp = Int((state >> 3) % 40) - 20
      var v = (state & 1 == 0 ? 1 : -1) * mant * pow(10, Double(exp))
      // Every fourth value has few decimals (-734.135, 24.595): printf's ties decide those.
      if i % 4 == 0 { v = (mant * 2000 - 1000).rounded() / 1000 }
      values.append(v)
    }
    return values
  }

  @Test(arguments: [1, 3, 6, 8, 10, 12])
  func agreesWithPrintfOnManyValues(digits: Int) {
    let values = Self.sampleValues()
    var mismatches: [String] = []
    let buffer = NumberTextBuffer()
    for v in values {
      // Negative zero is written 0 (printf: -0), the one documented difference.
      let reference = v == 0 ? "0" : String(format: "%.\(digits)g", v)
      buffer.clear()
      buffer.append(v, digits: digits)
      let single = String(decoding: buffer.bytes, as: UTF8.self)
      buffer.clear()
      [v, v].withUnsafeBufferPointer { buffer.append($0, separator: UInt8(ascii: " "), digits: digits) }
      let row = String(decoding: buffer.bytes, as: UTF8.self)
      buffer.clear()
      buffer.append(v, rightAlignedIn: 17, digits: digits)
      let aligned = String(decoding: buffer.bytes, as: UTF8.self)
      #expect(row == " \(single) \(single)")
      #expect(aligned == String(repeating: " ", count: max(0, 17 - single.count)) + single, "\(v)")
      if single != reference { mismatches.append("\(v): \(single) vs \(reference)") }
    }
    #expect(mismatches.isEmpty, "\(mismatches.count) differ: \(mismatches.prefix(5))")
  }

  /// Two million doubles for `%.10g` (the column files): random bit patterns (all magnitudes,
  /// subnormals), random decimals, decimal midpoints of 11 digits and their neighbours, exact
  /// binary ties, integers, powers of ten and their neighbours, values around the switches to
  /// scientific notation (1e-4, 1e10); half of them negative.
  static func tenDigitValues() -> [Double] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      // SplitMix64.
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    func signed(_ v: Double, _ bits: UInt64) -> Double { bits & 1 == 0 ? v : -v }
    var values: [Double] = []
    values.reserveCapacity(2_000_000)
    // Powers of ten over the whole range and their neighbours.
    for e in -323...308 {
      let p = Double("1e\(e)")!
      values += [p, p.nextUp, p.nextDown, -p, 5 * p, 9.9999999995 * p]
    }
    // Around 1e-4 and 1e10, where %.10g switches between fixed and scientific notation.
    for base in [1e-4, 9.9999999995e-5, 9.999999999e-5, 1e10, 9999999999.5, 9999999999.4, 9999999999] {
      var v = base
      for _ in 0..<200 { v = v.nextUp; values += [v, -v] }
      v = base
      for _ in 0..<200 { v = v.nextDown; values += [v, -v] }
    }
    values += [Double.leastNonzeroMagnitude, Double.leastNormalMagnitude, Double.greatestFiniteMagnitude]
    while values.count < 2_000_000 {
      let r = next(), kind = values.count % 8
      switch kind {
      case 0, 1:
        // Any finite bit pattern: every magnitude, subnormals included.
        let v = Double(bitPattern: r)
        values.append(v.isFinite ? v : Double(bitPattern: r & 0x7FEF_FFFF_FFFF_FFFF))
      case 2:
        // Subnormals and the smallest normals.
        values.append(signed(Double(bitPattern: r >> 11), r))
      case 3:
        // Decimal midpoints d.ddddddddd5 x 10^e (nearest double) and their neighbours.
        let digits = 1_000_000_000 + (r >> 20) % 9_000_000_000
        let e = Int(r % 61) - 30
        let v = Double("\(digits)5e\(e - 10)")!
        values += [signed(v, r >> 8), signed(v.nextUp, r >> 9), signed(v.nextDown, r >> 10)]
      case 4:
        // Exact binary ties: 10-digit integers + 0.5, 11-digit integers ending in 5, and those
        // scaled by powers of two.
        let n = Double(1_000_000_000 + (r >> 20) % 9_000_000_000)
        let scale = Double(sign: .plus, exponent: Int(r % 80) - 40, significand: 1)
        values += [signed(n + 0.5, r >> 8), signed((10 * n + 5) * scale, r >> 9)]
      case 5:
        // Integers of 1 ... 17 digits.
        let digits = Int(r % 17) + 1
        values.append(signed(Double((r >> 8) % UInt64(pow(10, Double(digits)))), r >> 7))
      default:
        // Random decimals over the range of spectra and beyond (1e-30 ... 1e35).
        let mantissa = Double(r >> 11) / Double(UInt64(1) << 53)
        values.append(signed(mantissa * pow(10, Double(Int((r >> 3) % 66) - 30)), r))
      }
    }
    return values.filter { !($0 == 0 && $0.sign == .minus) }
  }

  @Test func tenDigitsAgreeWithPrintfOnTwoMillionValues() {
    let values = Self.tenDigitValues()
    #expect(values.count >= 2_000_000)
    let buffer = NumberTextBuffer(capacity: 1 << 20)
    var reference = [CChar](repeating: 0, count: 1 << 23)
    var mismatches: [String] = []
    let chunk = 100_000
    for start in stride(from: 0, to: values.count, by: chunk) {
      let part = values[start..<min(start + chunk, values.count)]
      // The reference text of the chunk: each number after a space, as the row append writes it.
      var length = 0
      reference.withUnsafeMutableBufferPointer { text in
        for v in part {
          text[length] = 32
          length += 1
          length += Int(withVaList([v]) { vsnprintf(text.baseAddress! + length, 40, "%.10g", $0) })
        }
      }
      buffer.clear()
      part.withUnsafeBufferPointer { buffer.append($0, separator: UInt8(ascii: " "), digits: 10) }
      let same = buffer.count == length && reference.withUnsafeBytes { ref in
        buffer.bytes.withUnsafeBytes { memcmp($0.baseAddress!, ref.baseAddress!, length) == 0 }
      }
      if !same {
        // Find the values that differ.
        for v in part where mismatches.count < 10 {
          let expected = String(format: "%.10g", v)
          buffer.clear()
          buffer.append(v, digits: 10)
          let got = String(decoding: buffer.bytes, as: UTF8.self)
          if got != expected { mismatches.append("\(v.bitPattern): \(got) vs \(expected)") }
        }
      }
      #expect(same, "chunk at \(start): \(mismatches.prefix(10))")
    }
    #expect(mismatches.isEmpty)
    // The right-aligned append (column files) on every 20th value, against printf's "%18.10g".
    var cell = [CChar](repeating: 0, count: 64)
    var aligned: [String] = []
    for v in stride(from: 0, to: values.count, by: 20).map({ values[$0] }) where aligned.count < 10 {
      buffer.clear()
      buffer.append(v, rightAlignedIn: 18, digits: 10)
      let expected = cell.withUnsafeMutableBufferPointer { text -> String in
        _ = withVaList([v]) { vsnprintf(text.baseAddress!, 64, "%18.10g", $0) }
        return String(cString: text.baseAddress!)
      }
      let got = String(decoding: buffer.bytes, as: UTF8.self)
      if got != expected { aligned.append("\(v): '\(got)' vs '\(expected)'") }
    }
    #expect(aligned.isEmpty, "\(aligned)")
  }

  @Test func writesNegativeZeroAsZero() {
    // printf writes -0; the column files have always had 0.
    let buffer = NumberTextBuffer()
    buffer.append(-0.0, rightAlignedIn: 5, digits: 10)
    buffer.append(-0.0, digits: 6)
    #expect(String(decoding: buffer.bytes, as: UTF8.self) == "    00")
  }

  @Test func writesZeroAndNonFiniteValues() {
    let buffer = NumberTextBuffer()
    [0, .nan, .infinity, -.infinity].withUnsafeBufferPointer {
      buffer.append($0, separator: UInt8(ascii: ","), digits: 6)
    }
    #expect(String(decoding: buffer.bytes, as: UTF8.self) == ",0,nan,inf,-inf")
  }
}
