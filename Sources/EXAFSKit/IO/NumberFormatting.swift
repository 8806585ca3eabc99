// Fast text formatting of many numbers (wavelet grids hold 10^4-10^5 values per spectrum).
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Appends printf-formatted numbers to a UTF-8 byte buffer without creating a String per number.
struct NumberTextBuffer {
  private(set) var bytes: [UInt8] = []
  private var scratch = [CChar](repeating: 0, count: 48)

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  /// Appends `value` as `%.8g` (`nan`, `inf`, `-inf` for non-finite values).
  mutating func append(_ value: Double) {
    if !value.isFinite {
      append(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
      return
    }
    let n = scratch.withUnsafeMutableBufferPointer { buf -> Int32 in
      withVaList([value]) { vsnprintf(buf.baseAddress, 48, "%.8g", $0) }
    }
    scratch.withUnsafeBufferPointer { buf in
      buf.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: Int(n)) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(n)))
      }
    }
  }

  /// Appends text verbatim.
  mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

  /// Appends one byte (e.g. a space or a newline).
  mutating func append(byte: UInt8) { bytes.append(byte) }
}
