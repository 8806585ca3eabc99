// Fast text formatting of many numbers (wavelet grids hold 10^4-10^5 values per spectrum).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Appends numbers with a fixed number of significant digits to a UTF-8 byte buffer without
/// creating a String per number (more than 10x faster than `String(format:)`, which matters for
/// wavelet grids).
///
/// The text is byte-identical to C's `%.{p}g`: fixed notation for decimal exponents -4 ... p-1,
/// scientific (`1.2345678e-09`) otherwise, trailing zeros removed (one exception: negative zero is
/// written `0`, not `-0`). The
/// last digit is rounded as `printf` rounds the exact binary value (ties to even). Numbers whose
/// scaling to p integer digits needs a power of ten beyond 10^22 (at 10 digits: below about 1e-13
/// or from 1e32 on, and subnormals) are rare in spectra and are formatted by the C library itself
/// (checked against printf in the tests, on 2 million values at 10 digits).
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

  /// The text written so far, as Data that takes over the storage (no copy); the buffer is
  /// empty afterwards, with a new small storage.
  func takeData() -> Data {
    let taken = storage
    let data = Data(
      bytesNoCopy: taken, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() })
    capacity = 64
    storage = .allocate(capacity: capacity)
    count = 0
    return data
  }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  private func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    growByteStorage(&storage, capacity: &capacity, count: count, needed: count + extra)
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
    /// For each biased binary exponent b (0 ... 2047): floor((b - 1023) log10 2), the decimal
    /// exponent of 2^(b-1023), so that x in [2^(b-1023), 2^(b-1022)) has decimal exponent
    /// `exponentGuesses[b]` or one more.
    let exponentGuesses: UnsafeMutablePointer<Int>
    /// 10^(exponentGuesses[b] + 1) rounded to Double (from x on the exponent is one more); 0 or
    /// infinity far outside 1e-40 ... 1e40, where the C library formats anyway.
    let nextPowers: UnsafeMutablePointer<Double>

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
      exponentGuesses = .allocate(capacity: 2048)
      nextPowers = .allocate(capacity: 2048)
      for b in 0..<2048 {
        // floor(e log10(2)) as (e * 78913) >> 18 (exact for |e| < 1700).
        let guess = ((b - 1023) &* 78913) >> 18
        exponentGuesses[b] = guess
        let next = guess + 1
        // Double("1e-5") is the correctly rounded 10^-5.
        nextPowers[b] = next > 40 ? .infinity : next < -40 ? 0 : Double("1e\(next)")!
      }
    }
  }

  private static let tables = Tables()

  /// Writes finite, non-zero `value` with `p` (1 ... 15) significant digits in `%.{p}g` layout
  /// at `out` (room for 32 bytes needed) and returns the number of bytes written.
  ///
  /// The decimal exponent comes from two table lookups by the binary exponent; the p digits are
  /// x * 10^(p-1-exponent) rounded to an integer (`roundedDigits`); where that needs a power of
  /// ten beyond 10^22 the C library formats the number (`formatWithLibc`).
  @inline(__always)
  private static func format(
    _ value: Double, _ p: Int, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    let x = abs(value)
    let b = Int(truncatingIfNeeded: x.bitPattern >> 52)
    var exponent = t.exponentGuesses[b] &+ (x >= t.nextPowers[b] ? 1 : 0)
    let top = UInt64(truncatingIfNeeded: t.integerPowers[p])
    let bottom = UInt64(truncatingIfNeeded: t.integerPowers[p - 1])
    var m: UInt64
    while true {
      // Exponent off by one (only next to a power of ten not exact in Double): one more pass.
      m = roundedDigits(x, p - 1 - exponent, t.powers)
      if m == .max { return formatWithLibc(value, p, out) }
      if m >= top {
        exponent += 1
      } else if m < bottom {
        exponent -= 1
      } else {
        break
      }
    }
    if p <= 8 { return formatShort(m, p, exponent, value < 0, out, t) }
    return formatLong(m, p, exponent, value < 0, out, t)
  }

  /// x * 10^n rounded to an integer as printf rounds the exact decimal value of x (ties to
  /// even), for |n| <= 22 where 10^|n| is exact, so that the product or quotient has a single
  /// rounding; `UInt64.max` for other n (or a product from 2^52 on, which makes the caller raise
  /// the exponent).
  ///
  /// Rounding adds 2^52, whose sum has no fraction bits, and reads the integer from the sum's
  /// low 52 bits. Where the rounded product lands exactly halfway between two integers, its
  /// rounding error (exact with a fused multiply-add while 10^|n| is exact) says on which side
  /// x * 10^n really is; elsewhere that error (below half a unit of the product) cannot move the
  /// result across a half.
  @inline(__always)
  private static func roundedDigits(_ x: Double, _ n: Int, _ powers: UnsafeMutablePointer<Double>) -> UInt64 {
    guard UInt(bitPattern: n &+ 22) <= 44 else { return .max }
    let y = n >= 0 ? x * powers[n] : x / powers[-n]
    let magic = 4_503_599_627_370_496.0  // 2^52
    guard y < magic else { return .max - 1 }
    let sum = y + magic
    var m = sum.bitPattern & 0x000F_FFFF_FFFF_FFFF
    let half = y - (sum - magic)  // exact
    if abs(half) == 0.5 {
      // The sign of exact - y: for a product x p - y, for a quotient (x - y p) / p; both
      // residuals are exact in Double, computed with one rounding by addingProduct (FMA).
      let error = n >= 0 ? (-y).addingProduct(x, powers[n]) : x.addingProduct(-y, powers[-n])
      if half > 0 && error > 0 { m += 1 }  // rounded down to even, but x * 10^n is above the half
      if half < 0 && error < 0 { m -= 1 }  // rounded up to even, but x * 10^n is below the half
    }
    return m
  }

  /// `%.{p}g` of finite, non-zero `value` by the C library (for the rare magnitudes that
  /// `roundedDigits` does not cover), written at `out`; returns the number of bytes written.
  @inline(never)
  private static func formatWithLibc(_ value: Double, _ p: Int, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { text in
      let base = text.baseAddress!
      let written = withVaList([Int32(p), value]) { vsnprintf(base, 40, "%.*g", $0) }
      let length = Int(max(0, min(written, 31)))
      UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: length)
      return length
    }
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
    let high = m / 100_000_000, lo = eightDigits(m &- high &* 100_000_000, t)
    // Up to 10 digits (column files) the high part is one pair from the table, in the top bytes.
    let hi =
      p <= 10
      ? zeros & 0x0000_FFFF_FFFF_FFFF
        | UInt64(UnsafeRawPointer(t.digitPairs).loadUnaligned(fromByteOffset: 2 * Int(high), as: UInt16.self)) << 48
      : eightDigits(high, t)
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
  ///
  /// SIMD within a register: v is split into two 4-digit halves (32-bit lanes), each half into
  /// two 2-digit lanes of 16 bits, each of those into two digit bytes, dividing all lanes at once
  /// by a multiply and shift with a reciprocal (x * 10486 >> 20 is x / 100 for x < 10^4,
  /// x * 103 >> 10 is x / 10 for x < 100); the known technique of branch-free integer printing.
  @inline(__always)
  private static func eightDigits(_ v: UInt64, _ t: Tables) -> UInt64 {
    let high = v / 10_000
    let halves = high | (v &- high &* 10_000) << 32
    let hundreds = ((halves &* 10486) >> 20) & 0x0000_007F_0000_007F
    let pairs = hundreds | (halves &- hundreds &* 100) << 16
    let tens = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
    let digits = tens | (pairs &- tens &* 10) << 8
    return digits | 0x3030_3030_3030_3030
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

  /// Writes any `value` (nan, inf, 0 included) at `out` (room for 32 bytes needed); returns the
  /// number of bytes written.
  @inline(__always)
  private static func formatAny(
    _ value: Double, _ p: Int, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    if value != 0 && value.isFinite { return format(value, p, out, t) }
    if value == 0 {
      // Both zeros as 0 (printf writes -0 for negative zero; the column files have always had 0).
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
    reserve(max(width, 0) + 64)
    count += Self.writeAligned(value, width, max(1, min(digits, 15)), storage + count, Self.tables)
  }

  /// Writes `value` with `p` significant digits right-aligned in `width` characters at `out`
  /// (room for width + 64 bytes needed; bytes past the returned length may be overwritten);
  /// returns the number of bytes written.
  ///
  /// The text is formatted in place, then its four words are moved right by the padding after
  /// spaces are stored in 8-byte words before it: no scratch buffer, no byte loop.
  @inline(__always)
  private static func writeAligned(
    _ value: Double, _ width: Int, _ p: Int, _ out: UnsafeMutablePointer<UInt8>, _ t: Tables
  ) -> Int {
    let raw = UnsafeMutableRawPointer(out)
    // Four zero words first, so that the word loads below read only bytes written here.
    raw.storeBytes(of: 0 as UInt64, toByteOffset: 0, as: UInt64.self)
    raw.storeBytes(of: 0 as UInt64, toByteOffset: 8, as: UInt64.self)
    raw.storeBytes(of: 0 as UInt64, toByteOffset: 16, as: UInt64.self)
    raw.storeBytes(of: 0 as UInt64, toByteOffset: 24, as: UInt64.self)
    let length = formatAny(value, p, out, t)
    let padding = width - length
    guard padding > 0 else { return length }
    let w0 = raw.loadUnaligned(as: UInt64.self)
    let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    let w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
    let w3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    // (Offsets below width + 64 cannot overflow: &+ spares the overflow checks.)
    var i = 0
    repeat {
      raw.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: i, as: UInt64.self)
      i &+= 8
    } while i < padding
    raw.storeBytes(of: w0, toByteOffset: padding, as: UInt64.self)
    raw.storeBytes(of: w1, toByteOffset: padding &+ 8, as: UInt64.self)
    raw.storeBytes(of: w2, toByteOffset: padding &+ 16, as: UInt64.self)
    raw.storeBytes(of: w3, toByteOffset: padding &+ 24, as: UInt64.self)
    return width
  }

  /// Appends the rows of a column file: for each row a space, then each value of the row
  /// (`%.{digits}g`) right-aligned in its field of `fieldWidths[j]` characters, then a newline.
  /// `values` holds the rows one after another (`fieldWidths.count` values each).
  func appendRows(_ values: UnsafeBufferPointer<Double>, fieldWidths: UnsafeBufferPointer<Int>, digits: Int) {
    let columns = fieldWidths.count
    guard columns > 0, let base = values.baseAddress, let widths = fieldWidths.baseAddress else { return }
    let rows = values.count / columns
    // A number takes at most 22 characters (`-1.23456789012345e-308`), and the last may write
    // 64 bytes past its field.
    let rowBytes = fieldWidths.reduce(2) { $0 + max($1, 24) }
    reserve(rows * rowBytes + 64)
    let p = max(1, min(digits, 15))
    let t = Self.tables
    var out = storage + count
    let start = out
    for i in 0..<rows {
      out[0] = UInt8(ascii: " ")
      out += 1
      let row = base + i * columns
      for j in 0..<columns {
        out += Self.writeAligned(row[j], widths[j], p, out, t)
      }
      out[0] = UInt8(ascii: "\n")
      out += 1
    }
    count += out - start
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

  /// Appends bytes verbatim.
  func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress else { return }
    reserve(bytes.count)
    (storage + count).update(from: base, count: bytes.count)
    count += bytes.count
  }

  /// Appends one byte (e.g. a space or a newline).
  @inline(__always)
  func append(byte: UInt8) {
    reserve(1)
    storage[count] = byte
    count += 1
  }
}

/// Replaces `storage` (holding `count` bytes, room for `capacity`) by an allocation with room for
/// at least `needed` bytes and at least twice as many as before, keeping its bytes: the slow path
/// of the manually managed byte buffers (`NumberTextBuffer`, `PrettyJSONWriter`).
@inline(never)
func growByteStorage(_ storage: inout UnsafeMutablePointer<UInt8>, capacity: inout Int, count: Int, needed: Int) {
  let newCapacity = max(2 * capacity, needed)
  let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
  grown.update(from: storage, count: count)
  storage.deallocate()
  storage = grown
  capacity = newCapacity
}
