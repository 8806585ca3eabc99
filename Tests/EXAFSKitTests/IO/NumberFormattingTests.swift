// The fast number formatter agrees with C's %.{p}g, in all three ways of appending.
import Foundation
import Testing

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
      let reference = String(format: "%.\(digits)g", v)
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
      if single != reference {
        // Allowed only where scaling needs 10^k beyond 10^22 (|v| below ~1e-16 or above 1e22):
        // a last-digit difference in a near-tie.
        let a = Double(single) ?? .nan, b = Double(reference) ?? .nan
        #expect(abs(a - b) <= 1.5 * pow(10, Double(1 - digits)) * abs(b), "\(v): \(single) vs \(reference)")
        mismatches.append("\(v): \(single) vs \(reference)")
      }
    }
    #expect(mismatches.count <= values.count / 5000, "\(mismatches.count) differ: \(mismatches.prefix(5))")
  }

  @Test func writesZeroAndNonFiniteValues() {
    let buffer = NumberTextBuffer()
    [0, .nan, .infinity, -.infinity].withUnsafeBufferPointer {
      buffer.append($0, separator: UInt8(ascii: ","), digits: 6)
    }
    #expect(String(decoding: buffer.bytes, as: UTF8.self) == ",0,nan,inf,-inf")
  }
}
