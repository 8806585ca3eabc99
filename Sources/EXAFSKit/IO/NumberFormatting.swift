// Fast text formatting of many numbers (wavelet grids hold 10^4-10^5 values per spectrum).
import Foundation

/// Appends numbers with a fixed number of significant digits to a UTF-8 byte buffer without creating a String
/// per number (about 30x faster than `String(format:)`, which matters for wavelet grids).
///
/// The text follows C's `%.8g` (or `%.10g` ...): fixed notation for decimal exponents -4 ... p-1, scientific
/// (`1.2345678e-09`) otherwise, trailing zeros removed. The last digit is correctly rounded
/// except in rare ties, where it may differ by one unit from `printf`.
struct NumberTextBuffer {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

  /// x * 10^n with a single rounding where 10^|n| is exact (|n| <= 22).
  private static func scaled(_ x: Double, _ n: Int) -> Double {
    var x = x
    var n = n
    // Extreme exponents (subnormals, 1e300): step by 10^22 so that no factor overflows.
    while n > 22 { x *= powers[22]; n -= 22 }
    while n < -22 { x /= powers[22]; n += 22 }
    return n >= 0 ? x * powers[n] : x / powers[-n]
  }

  private static let integerPowers: [Int] = (0...18).map { n in (0..<n).reduce(1) { acc, _ in acc * 10 } }

  /// Appends `value` with `digits` significant digits (1 ... 15) in C's `%.{digits}g` layout
  /// (`nan`, `inf`, `-inf` for non-finite values). No allocation per number.
  mutating func append(_ value: Double, digits: Int = 8) {
    if !value.isFinite {
      append(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
      return
    }
    let zero = UInt8(ascii: "0")
    if value == 0 {
      bytes.append(zero)
      return
    }
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    let x = abs(value)
    let p = max(1, min(digits, 15))
    let top = Double(Self.integerPowers[p])
    var exponent = Int(log10(x).rounded(.down))
    // p significant digits as an integer in [10^(p-1), 10^p).
    var mantissa = Self.scaled(x, p - 1 - exponent).rounded()
    if mantissa >= top {
      exponent += 1
      mantissa = Self.scaled(x, p - 1 - exponent).rounded()
    } else if mantissa < top / 10 {
      exponent -= 1
      mantissa = Self.scaled(x, p - 1 - exponent).rounded()
    }
    let m = Int(min(max(mantissa, top / 10), top - 1))
    // Number of digits kept after removing trailing zeros.
    var kept = p
    var tail = m
    while kept > 1 && tail % 10 == 0 {
      tail /= 10
      kept -= 1
    }
    @inline(__always) func digit(_ i: Int) -> UInt8 {  // i-th significant digit, 0-based
      zero + UInt8((m / Self.integerPowers[p - 1 - i]) % 10)
    }
    if exponent >= -4 && exponent < p {
      if exponent < 0 {
        bytes.append(zero)
        bytes.append(UInt8(ascii: "."))
        for _ in 0..<(-exponent - 1) { bytes.append(zero) }
        for i in 0..<kept { bytes.append(digit(i)) }
      } else {
        for i in 0...exponent { bytes.append(digit(i)) }
        if kept > exponent + 1 {
          bytes.append(UInt8(ascii: "."))
          for i in (exponent + 1)..<kept { bytes.append(digit(i)) }
        }
      }
    } else {
      bytes.append(digit(0))
      if kept > 1 {
        bytes.append(UInt8(ascii: "."))
        for i in 1..<kept { bytes.append(digit(i)) }
      }
      bytes.append(UInt8(ascii: "e"))
      bytes.append(UInt8(ascii: exponent < 0 ? "-" : "+"))
      let e = abs(exponent)
      if e >= 100 { bytes.append(zero + UInt8(e / 100)) }
      bytes.append(zero + UInt8((e / 10) % 10))
      bytes.append(zero + UInt8(e % 10))
    }
  }

  /// Empties the buffer, keeping its capacity.
  mutating func clear() { bytes.removeAll(keepingCapacity: true) }

  /// Appends raw bytes.
  mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

  /// Appends text verbatim.
  mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends `count` copies of `byte` (padding).
  mutating func append(byte: UInt8, count: Int) {
    if count > 0 { bytes.append(contentsOf: repeatElement(byte, count: count)) }
  }

  /// Appends one byte (e.g. a space or a newline).
  mutating func append(byte: UInt8) { bytes.append(byte) }
}
