// Fast text formatting of many numbers (wavelet grids hold 10^4-10^5 values per spectrum).
import Foundation

/// Appends numbers with a fixed number of significant digits to a UTF-8 byte buffer without
/// creating a String per number (more than 10x faster than `String(format:)`, which matters for
/// wavelet grids).
///
/// The text follows C's `%.{p}g`: fixed notation for decimal exponents -4 ... p-1, scientific
/// (`1.2345678e-09`) otherwise, trailing zeros removed. The last digit is correctly rounded
/// except in rare ties, where it may differ by one unit from `printf` (checked in the tests).
final class NumberTextBuffer {
  // Manually managed storage: appending through Array costs more than formatting a number.
  private var storage: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Number of bytes written.
  private(set) var count = 0

  init(capacity: Int = 0) {
    self.capacity = max(64, capacity)
    storage = .allocate(capacity: self.capacity)
  }

  deinit { storage.deallocate() }

  /// The text written so far.
  var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

  /// The text written so far, as Data.
  var data: Data { Data(bytes: storage, count: count) }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  private func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    let newCapacity = max(2 * capacity, count + extra)
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    grown.update(from: storage, count: count)
    storage.deallocate()
    storage = grown
    capacity = newCapacity
  }

  /// 10^0 ... 10^22, exact in Double.
  private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }
  /// "00", "01", ... "99" as ASCII bytes.
  private static let digitPairs: [UInt8] = {
    var table = [UInt8]()
    for i in 0..<100 {
      table.append(UInt8(48 + i / 10))
      table.append(UInt8(48 + i % 10))
    }
    return table
  }()
  /// 10^0 ... 10^18 as integers.
  private static let integerPowers: [Int] = (0...18).map { n in (0..<n).reduce(1) { acc, _ in acc * 10 } }

  /// x * 10^n with a single rounding where 10^|n| is exact (|n| <= 22).
  private static func scaled(_ x: Double, _ n: Int) -> Double {
    var x = x
    var n = n
    // Extreme exponents (subnormals, 1e300): step by 10^22 so that no factor overflows.
    while n > 22 { x *= powers[22]; n -= 22 }
    while n < -22 { x /= powers[22]; n += 22 }
    return n >= 0 ? x * powers[n] : x / powers[-n]
  }

  /// Decimal exponent floor(log10(x)) for finite x > 0, from the binary exponent (no log10 call).
  @inline(__always)
  private static func decimalExponent(_ x: Double) -> Int {
    // log10(2) = 0.30103: the estimate is exact or one too small/large; fix against powers of 10.
    var e = Int((Double(x.exponent) * 0.30102999566398120).rounded(.down))
    if e >= -22 && e <= 21 {
      let p = e >= 0 ? powers[e] : 1 / powers[-e]
      if x < p { e -= 1 } else if x >= p * 10 { e += 1 }
      return e
    }
    return Int(log10(x).rounded(.down))
  }

  /// Appends `value` with `digits` significant digits (1 ... 15) in C's `%.{digits}g` layout
  /// (`nan`, `inf`, `-inf` for non-finite values). No allocation per number.
  func append(_ value: Double, digits: Int = 8) {
    if !value.isFinite {
      append(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
      return
    }
    let zero = UInt8(ascii: "0")
    if value == 0 {
      append(byte: zero)
      return
    }
    let x = abs(value)
    let p = max(1, min(digits, 15))
    let top = Double(Self.integerPowers[p])
    var exponent = Self.decimalExponent(x)
    // p significant digits as an integer in [10^(p-1), 10^p).
    var mantissa = Self.scaled(x, p - 1 - exponent).rounded()
    if mantissa >= top {
      exponent += 1
      mantissa = Self.scaled(x, p - 1 - exponent).rounded()
    } else if mantissa < top / 10 {
      exponent -= 1
      mantissa = Self.scaled(x, p - 1 - exponent).rounded()
    }
    var m = Int(min(max(mantissa, top / 10), top - 1))
    var kept = p
    while kept > 1 && m % 10 == 0 {
      m /= 10
      kept -= 1
    }
    // Layout: at most 1 sign + 2 + 4 zeros + 15 digits + 5 exponent characters < 32 bytes.
    reserve(32)
    var n = count
    let out = storage
    do {
      @inline(__always) func put(_ b: UInt8) {
        out[n] = b
        n += 1
      }
      if value < 0 { put(UInt8(ascii: "-")) }
      // Digits of m, most significant first, written where they belong.
      func putDigits(_ count: Int) {
        // Two digits per division, from a 100-entry table.
        var v = m
        var i = n + count - 1
        Self.digitPairs.withUnsafeBufferPointer { pairs in
          while i > n {
            let r = v % 100
            v /= 100
            out[i] = pairs[2 * r + 1]
            out[i - 1] = pairs[2 * r]
            i -= 2
          }
          if i == n { out[i] = zero + UInt8(truncatingIfNeeded: v % 10) }
        }
        n += count
      }
      if exponent >= -4 && exponent < p {
        if exponent < 0 {
          put(zero)
          put(UInt8(ascii: "."))
          for _ in 0..<(-exponent - 1) { put(zero) }
          putDigits(kept)
        } else if kept > exponent + 1 {
          // Integer part, '.', fraction: write all digits, then open a gap for the point.
          putDigits(kept)
          var i = n
          while i > n - (kept - exponent - 1) {
            out[i] = out[i - 1]
            i -= 1
          }
          out[i] = UInt8(ascii: ".")
          n += 1
        } else {
          putDigits(kept)
          for _ in 0..<(exponent + 1 - kept) { put(zero) }
        }
      } else {
        putDigits(kept)
        if kept > 1 {
          // Insert the point after the first digit.
          var i = n
          while i > n - kept + 1 {
            out[i] = out[i - 1]
            i -= 1
          }
          out[i] = UInt8(ascii: ".")
          n += 1
        }
        put(UInt8(ascii: "e"))
        put(UInt8(ascii: exponent < 0 ? "-" : "+"))
        let e = abs(exponent)
        if e >= 100 { put(zero + UInt8(e / 100)) }
        put(zero + UInt8((e / 10) % 10))
        put(zero + UInt8(e % 10))
      }
    }
    count = n
  }

  /// Empties the buffer, keeping its capacity.
  func clear() { count = 0 }

  /// Appends the text of another buffer.
  func append(contentsOf other: NumberTextBuffer) {
    reserve(other.count)
    (storage + count).update(from: other.storage, count: other.count)
    count += other.count
  }

  /// Appends text verbatim.
  func append(_ text: String) {
    let utf8 = Array(text.utf8)
    reserve(utf8.count)
    for b in utf8 {
      storage[count] = b
      count += 1
    }
  }

  /// Appends `n` copies of `byte` (padding).
  func append(byte: UInt8, count n: Int) {
    guard n > 0 else { return }
    reserve(n)
    (storage + count).update(repeating: byte, count: n)
    count += n
  }

  /// Appends one byte (e.g. a space or a newline).
  @inline(__always)
  func append(byte: UInt8) {
    reserve(1)
    storage[count] = byte
    count += 1
  }
}
