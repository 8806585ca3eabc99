// Fast text formatting of many numbers (wavelet grids hold 10^4-10^5 values per spectrum).
import Foundation

/// Appends numbers with a fixed number of significant digits to a UTF-8 byte buffer without
/// creating a String per number (more than 10x faster than `String(format:)`, which matters for
/// wavelet grids).
///
/// The text follows C's `%.{p}g`: fixed notation for decimal exponents -4 ... p-1, scientific
/// (`1.2345678e-09`) otherwise, trailing zeros removed. The last digit is rounded as `printf`
/// rounds the exact binary value (ties to even); only for numbers whose scaling to an integer
/// needs a power of ten beyond 10^22 (below about 1e-16 or above 1e22 at 6 digits) may a near-tie
/// differ by one unit in the last digit (checked against printf in the tests).
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

  /// Lookup tables shared by all buffers, created once; each buffer keeps plain pointers to them
  /// so that the per-number code has no lazy-global checks, bounds checks or reference counting.
  private struct Tables: @unchecked Sendable {
    /// 10^0 ... 10^22, exact in Double.
    let powers: UnsafeMutablePointer<Double>
    /// "00", "01", ... "99" as ASCII bytes.
    let digitPairs: UnsafeMutablePointer<UInt8>
    /// 10^0 ... 10^18 as integers.
    let integerPowers: UnsafeMutablePointer<Int>

    init() {
      powers = .allocate(capacity: 23)
      var p = 1.0
      for i in 0...22 {
        powers[i] = p  // products of 10 up to 10^22 are exact
        p *= 10
      }
      digitPairs = .allocate(capacity: 200)
      for i in 0..<100 {
        digitPairs[2 * i] = UInt8(48 + i / 10)
        digitPairs[2 * i + 1] = UInt8(48 + i % 10)
      }
      integerPowers = .allocate(capacity: 19)
      var n = 1
      for i in 0...18 {
        integerPowers[i] = n
        if i < 18 { n *= 10 }
      }
    }
  }

  private static let tables = Tables()

  /// x * 10^n with a single rounding where 10^|n| is exact (|n| <= 22).
  @inline(__always)
  private static func scaled(_ x: Double, _ n: Int, _ powers: UnsafeMutablePointer<Double>) -> Double {
    if n >= 0 && n <= 22 { return x * powers[n] }
    if n < 0 && n >= -22 { return x / powers[-n] }
    var x = x
    var n = n
    // Extreme exponents (subnormals, 1e300): step by 10^22 so that no factor overflows.
    while n > 22 { x *= powers[22]; n -= 22 }
    while n < -22 { x /= powers[22]; n += 22 }
    return n >= 0 ? x * powers[n] : x / powers[-n]
  }

  /// Decimal exponent floor(log10(x)) for finite x > 0, from the binary exponent (no log10 call).
  @inline(__always)
  private static func decimalExponent(_ x: Double, _ powers: UnsafeMutablePointer<Double>) -> Int {
    // log10(2) = 0.30103: the estimate is exact or one too small/large; fix against powers of 10.
    let binary = Int(truncatingIfNeeded: (x.bitPattern >> 52) & 0x7FF) - 1023
    // floor(binary log10(2)) as (binary * 78913) >> 18 (exact for |binary| < 1700).
    var e = (binary &* 78913) >> 18
    if binary > -1023 && e >= 0 && e <= 21 {
      let p = powers[e]
      if x < p { e -= 1 } else if x >= p * 10 { e += 1 }
      return e
    }
    if binary > -1023 && e < 0 && e >= -21 {
      // 10^e as 1 / 10^-e is not exact: compare x * 10^-e (one rounding) with 1 and 10 instead.
      let y = x * powers[-e]
      if y < 1 { e -= 1 } else if y >= 10 { e += 1 }
      return e
    }
    return Int(log10(x).rounded(.down))
  }

  /// Writes finite, non-zero `value` with `p` (1 ... 15) significant digits in `%.{p}g` layout
  /// at `out` (room for 32 bytes needed) and returns the number of bytes written.
  @inline(__always)
  private static func format(
    _ value: Double, _ p: Int, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    let zero = UInt8(ascii: "0")
    let x = abs(value)
    let top = t.integerPowers[p]
    var exponent = decimalExponent(x, t.powers)
    // p significant digits as an integer in [10^(p-1), 10^p), rounded half to even.
    var mantissa = scaledRounded(x, p - 1 - exponent, t.powers)
    if mantissa >= Double(top) {
      exponent += 1
      mantissa = scaledRounded(x, p - 1 - exponent, t.powers)
    } else if mantissa < Double(top / 10) {
      exponent -= 1
      mantissa = scaledRounded(x, p - 1 - exponent, t.powers)
    }
    let m = UInt64(min(max(mantissa, Double(top / 10)), Double(top - 1)))
    if p <= 8 { return formatShort(m, p, exponent, value < 0, out, t) }
    return formatLong(m, p, exponent, value < 0, out, t)
  }

  /// The layout step of `format` for 9 ... 15 significant digits (column files use 10), in the
  /// manner of `formatShort`: the digits of m are two 64-bit words of ASCII bytes, trailing zeros
  /// are counted from those words, and the text is stored with unaligned 8-byte copies (which may
  /// write digits or '0's past the returned length, never beyond 32 bytes). `out` must have room
  /// for 32 bytes.
  @inline(__always)
  private static func formatLong(
    _ m: UInt64, _ p: Int, _ exponent: Int, _ negative: Bool, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    let zeros: UInt64 = 0x3030_3030_3030_3030
    // The high p - 8 digits (left-padded with '0') and the low 8 digits, first digit first.
    let hi = eightDigits(m / 100_000_000, t), lo = eightDigits(m % 100_000_000, t)
    var trailing = (lo ^ zeros).leadingZeroBitCount / 8
    if trailing == 8 { trailing += (hi ^ zeros).leadingZeroBitCount / 8 }
    let kept = max(1, p - trailing)
    var words: (UInt64, UInt64, UInt64, UInt64) = (hi, lo, zeros, zeros)
    return withUnsafeBytes(of: &words) { raw -> Int in
      // The p digits start at byte 16 - p; 32 bytes in all, so that any 16-byte copy is in bounds.
      let d = raw.baseAddress! + (16 - p)
      let o = UnsafeMutableRawPointer(out)
      @inline(__always) func copy16(_ from: Int, _ to: Int) {
        o.storeBytes(of: d.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
        o.storeBytes(
          of: d.loadUnaligned(fromByteOffset: from + 8, as: UInt64.self), toByteOffset: to + 8, as: UInt64.self)
      }
      var n = 0
      if negative {
        out[0] = UInt8(ascii: "-")
        n = 1
      }
      if exponent < -4 || exponent >= p {
        // d.ddde±XX
        out[n] = d.load(as: UInt8.self)
        n += 1
        if kept > 1 {
          out[n] = UInt8(ascii: ".")
          copy16(1, n + 1)
          n += kept
        }
        return n + writeExponent(exponent, out + n, t)
      }
      if exponent < 0 {
        // 0.000ddd: "0." and up to three more zeros, then the digits.
        o.storeBytes(of: zeros, toByteOffset: n, as: UInt64.self)
        out[n + 1] = UInt8(ascii: ".")
        n += 1 - exponent
        copy16(0, n)
        return n + kept
      }
      let integerDigits = exponent + 1
      copy16(0, n)
      if kept > integerDigits {
        // ddd.ddd
        out[n + integerDigits] = UInt8(ascii: ".")
        copy16(integerDigits, n + integerDigits + 1)
        return n + kept + 1
      }
      // ddd000: the digits as they are (trailing zeros included).
      return n + integerDigits
    }
  }

  /// The eight decimal digits of v (< 10^8, zero-padded on the left) as ASCII bytes of one
  /// word, the most significant digit in the lowest byte (first in memory).
  @inline(__always)
  private static func eightDigits(_ v: UInt64, _ t: Tables) -> UInt64 {
    let pairs = UnsafeRawPointer(t.digitPairs)
    @inline(__always) func pair(_ i: UInt64) -> UInt64 {
      UInt64(pairs.loadUnaligned(fromByteOffset: 2 * Int(i), as: UInt16.self))
    }
    let high = v / 10_000, low = v % 10_000
    return pair(high / 100) | pair(high % 100) << 16 | pair(low / 100) << 32 | pair(low % 100) << 48
  }

  /// Writes `e±XX` (three exponent digits from 100 on) at `out`; returns the bytes written.
  @inline(__always)
  private static func writeExponent(_ exponent: Int, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables) -> Int {
    out[0] = UInt8(ascii: "e")
    out[1] = UInt8(ascii: exponent < 0 ? "-" : "+")
    var n = 2
    let e = abs(exponent)
    if e >= 100 {
      out[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: e / 100)
      n += 1
    }
    out[n] = t.digitPairs[2 * (e % 100)]
    out[n + 1] = t.digitPairs[2 * (e % 100) + 1]
    return n + 2
  }

  /// The layout step of `format` for p <= 8 significant digits (wavelet grids use 6): the digits
  /// of m (10^(p-1) <= m < 10^p) are made as one 64-bit word of ASCII bytes (two table lookups
  /// per half), trailing zeros are counted from that word, and the text is stored with a few
  /// unaligned 8-byte writes. `out` must have room for 32 bytes.
  @inline(__always)
  private static func formatShort(
    _ m: UInt64, _ p: Int, _ exponent: Int, _ negative: Bool, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    // Keep the p digits of m in the low p bytes.
    var word = eightDigits(m, t) >> UInt64(8 * (8 - p))
    let zeros: UInt64 = 0x3030_3030_3030_3030 >> UInt64(8 * (8 - p))
    // Trailing '0' digits of m are the top non-padding bytes that equal 0x30.
    let trailing = (word ^ zeros).leadingZeroBitCount / 8 - (8 - p)
    let kept = max(1, p - trailing)
    let keptMask: UInt64 = kept == 8 ? ~0 : (1 << UInt64(8 * kept)) - 1
    word &= keptMask
    let raw = UnsafeMutableRawPointer(out)
    var n = 0
    if negative {
      out[0] = UInt8(ascii: "-")
      n = 1
    }
    if exponent < -4 || exponent >= p {
      // d.ddde±XX
      out[n] = UInt8(truncatingIfNeeded: word)
      n += 1
      if kept > 1 {
        out[n] = UInt8(ascii: ".")
        raw.storeBytes(of: word >> 8, toByteOffset: n + 1, as: UInt64.self)
        n += kept
      }
      return n + writeExponent(exponent, out + n, t)
    }
    if exponent < 0 {
      // 0.000ddd: "0." and up to three more zeros, then the digits.
      raw.storeBytes(of: 0x3030_3030_3030_3030 as UInt64, toByteOffset: n, as: UInt64.self)
      out[n + 1] = UInt8(ascii: ".")
      n += 1 - exponent
      raw.storeBytes(of: word, toByteOffset: n, as: UInt64.self)
      return n + kept
    }
    let integerDigits = exponent + 1
    if kept > integerDigits {
      // ddd.ddd
      raw.storeBytes(of: word, toByteOffset: n, as: UInt64.self)
      out[n + integerDigits] = UInt8(ascii: ".")
      raw.storeBytes(of: word >> UInt64(8 * integerDigits), toByteOffset: n + integerDigits + 1, as: UInt64.self)
      return n + kept + 1
    }
    // ddd000 (exponent < p <= 8, so at most 8 characters): digits over a row of '0'.
    raw.storeBytes(of: 0x3030_3030_3030_3030 as UInt64, toByteOffset: n, as: UInt64.self)
    raw.storeBytes(of: word | (0x3030_3030_3030_3030 & ~keptMask), toByteOffset: n, as: UInt64.self)
    return n + integerDigits
  }

  /// x * 10^n rounded to an integer as printf rounds the exact decimal value of x: where the
  /// rounded product lands exactly halfway between two integers, the product's rounding error
  /// (exact with a fused multiply-add while 10^|n| is exact) says on which side x really is.
  @inline(__always)
  private static func scaledRounded(_ x: Double, _ n: Int, _ powers: UnsafeMutablePointer<Double>) -> Double {
    let y = scaled(x, n, powers)
    let r = roundToInteger(y)
    guard abs(y - r) == 0.5, n >= -22, n <= 22 else { return r }
    // The sign of exact - y: for a product x p - y, for a quotient (x - y p) / p; both
    // residuals are exact in Double, computed with one rounding by addingProduct (FMA).
    let error = n >= 0 ? (-y).addingProduct(x, powers[n]) : x.addingProduct(-y, powers[-n])
    if error > 0 { return y + 0.5 }
    if error < 0 { return y - 0.5 }
    return r  // exactly halfway: ties to even, as printf
  }

  /// `y` (0 <= y < 2^52) rounded to an integer, ties to even, without a libm call: adding and
  /// removing 2^52 leaves no fraction bits in the sum.
  @inline(__always)
  private static func roundToInteger(_ y: Double) -> Double {
    let magic = 4_503_599_627_370_496.0  // 2^52
    return y < magic ? (y + magic) - magic : y
  }

  /// Writes any `value` (nan, inf, 0 included) at `out` (room for 32 bytes needed); returns the
  /// number of bytes written.
  @inline(__always)
  private static func formatAny(
    _ value: Double, _ p: Int, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    if value != 0 && value.isFinite { return format(value, p, out, t) }
    if value == 0 {
      out[0] = UInt8(ascii: "0")
      return 1
    }
    let text: StaticString = value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")
    out.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
    return text.utf8CodeUnitCount
  }

  /// Appends `value` with `digits` significant digits (1 ... 15) in C's `%.{digits}g` layout
  /// (`nan`, `inf`, `-inf` for non-finite values). No allocation per number.
  func append(_ value: Double, digits: Int = 8) {
    reserve(32)
    let written = Self.formatAny(value, max(1, min(digits, 15)), storage + count, Self.tables)
    count += written
  }

  /// Appends `value` (`%.{digits}g`) right-aligned in a field of `width` characters (wider
  /// numbers are written whole), as in column files.
  func append(_ value: Double, rightAlignedIn width: Int, digits: Int) {
    reserve(width + 64)
    let out = UnsafeMutableRawPointer(storage + count)
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { scratch in
      // Format into scratch (64 bytes), then spaces in 8-byte words and the text in four words
      // over them (both may write past the field; the next append overwrites that).
      scratch.initialize(repeating: 0)
      let text = UnsafeMutableRawPointer(scratch.baseAddress!)
      let length = Self.formatAny(
        value, max(1, min(digits, 15)), text.assumingMemoryBound(to: UInt8.self), Self.tables)
      let padding = max(0, width - length)
      var i = 0
      while i < padding {
        out.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: i, as: UInt64.self)
        i += 8
      }
      for w in 0..<4 {
        out.storeBytes(of: scratch[w], toByteOffset: padding + 8 * w, as: UInt64.self)
      }
      count += padding + length
    }
  }

  /// Appends every value of `values`, each preceded by `separator`, with `digits` significant
  /// digits: one call per grid row, so the per-number work stays in registers.
  func append(_ values: UnsafeBufferPointer<Double>, separator: UInt8, digits: Int) {
    reserve(33 * values.count)
    let p = max(1, min(digits, 15))
    let t = Self.tables
    var out = storage + count
    let start = out
    for value in values {
      out[0] = separator
      out += 1
      out += Self.formatAny(value, p, out, t)
    }
    count += out - start
  }

  /// Empties the buffer, keeping its capacity.
  func clear() { count = 0 }

  /// Appends text verbatim.
  func append(_ text: String) {
    let utf8 = Array(text.utf8)
    reserve(utf8.count)
    for b in utf8 {
      storage[count] = b
      count += 1
    }
  }

  /// Appends one byte (e.g. a space or a newline).
  @inline(__always)
  func append(byte: UInt8) {
    reserve(1)
    storage[count] = byte
    count += 1
  }
}
