// Tests of safe input reading: line splitting, binary rejection, size limits and gzip.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOInputSafetyTests {
  @Test func linesKeepNumbersAcrossLineEndings() throws {
    let text = try TextLines.decode(Data("a\r\nb\rc\n\nd".utf8), file: "t.dat")
    #expect(text.lines.map(\.text) == ["a", "b", "c", "", "d"])
    #expect(text.lines.map(\.number) == [1, 2, 3, 4, 5])
  }

  @Test func latin1TextIsDecoded() throws {
    let bytes: [UInt8] = Array("# T = 20 ".utf8) + [0xB0] + Array("C\n1 2\n".utf8)  // 0xB0 = degree sign
    let text = try TextLines.decode(Data(bytes), file: "t.dat")
    #expect(text.lines[0].text == "# T = 20 °C")
  }

  @Test func binaryGarbageIsRejected() throws {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) } + [0]
    let path = try IOTestSupport.write(Data(bytes), name: "garbage.dat")
    let error = #expect(throws: EXAFSError.self) { try SpectrumReader.read(path: path) }
    guard case .malformed(let loc, let message) = error else {
      Issue.record("expected .malformed, got \(String(describing: error))")
      return
    }
    #expect(loc.file == path)
    #expect(message.contains("this does not look like a text data file"))
  }

  @Test func controlCharactersWithoutNULAreRejected() throws {
    let bytes = [UInt8](repeating: 0x01, count: 200) + Array("1 2\n".utf8)
    let error = #expect(throws: EXAFSError.self) { try TextLines.decode(Data(bytes), file: "x.dat") }
    #expect(error?.description.contains("control characters") == true)
  }

  /// The word-at-a-time count of foreign control bytes equals a byte-by-byte count written out
  /// here from the rule (below 0x20 or 0x7F, except 0x09-0x0D and 0x1A), for every byte value at
  /// every position of a word and in the tail.
  @Test func controlByteCountMatchesTheRule() throws {
    var generator = SystemRandomNumberGenerator()
    let allowed: Set<UInt8> = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A]
    for length in [0, 1, 15, 16, 17, 255, 256, 1000] {
      for _ in 0..<20 {
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let expected = bytes.filter { ($0 < 0x20 || $0 == 0x7F) && !allowed.contains($0) }.count
        let counted = bytes.withUnsafeBytes { TextLines.controlBytes($0) }
        #expect(counted == expected, "length \(length)")
      }
    }
    // Each byte value alone at each byte of a word, and in the tail.
    for value in 0...255 {
      for position in [0, 7, 15, 16, 20] {
        var bytes = [UInt8](repeating: 0x41, count: 21)
        bytes[position] = UInt8(value)
        let foreign = (value < 0x20 || value == 0x7F) && !allowed.contains(UInt8(value))
        #expect(bytes.withUnsafeBytes { TextLines.controlBytes($0) } == (foreign ? 1 : 0), "byte \(value) at \(position)")
      }
    }
  }

  @Test func overlongLineIsTooLarge() throws {
    let line = String(repeating: "1 ", count: 600_000)
    let error = #expect(throws: EXAFSError.self) {
      try TextLines.decode(Data("# header\n\(line)\n".utf8), file: "long.dat")
    }
    guard case .tooLarge(let loc, _) = error else {
      Issue.record("expected .tooLarge, got \(String(describing: error))")
      return
    }
    #expect(loc.line == 2)
  }

  @Test func missingFileAndDirectoryAreUnreadable() throws {
    let directory = try IOTestSupport.temporaryDirectory()
    for path in [directory + "/nope.dat", directory] {
      let error = #expect(throws: EXAFSError.self) { try SpectrumReader.read(path: path) }
      guard case .unreadable = error else {
        Issue.record("expected .unreadable for \(path), got \(String(describing: error))")
        continue
      }
    }
  }

  @Test func fileOverTheSizeLimitIsTooLarge() throws {
    let path = try IOTestSupport.write(String(repeating: "1 2\n", count: 1000), name: "big.dat")
    let error = #expect(throws: EXAFSError.self) { try TextLines.readBytes(path: path, limit: 100) }
    guard case .tooLarge = error else {
      Issue.record("expected .tooLarge, got \(String(describing: error))")
      return
    }
  }

  @Test func gzipRoundTripAndMagic() throws {
    let original = Data(String(repeating: "8979.0 1.2345\n", count: 5000).utf8)
    let packed = try Gzip.compress(original)
    #expect(Gzip.isGzip(packed))
    #expect(!Gzip.isGzip(original))
    #expect(packed.count < original.count / 10)
    #expect(try Gzip.decompress(packed, file: "x.gz", limit: 1 << 20) == original)
  }

  @Test func gzipFromTheGzipToolIsRead() throws {
    let path = try IOTestSupport.fixture("W_metal_rt_scans.prj")
    let data = try TextLines.readBytes(path: path)
    #expect(Gzip.isGzip(data))
    let text = try Gzip.decompress(data, file: path, limit: 1 << 24)
    #expect(text.count == 110_056)  // "original size" recorded in the gzip trailer
  }

  @Test func concatenatedGzipMembersAreJoined() throws {
    let a = try Gzip.compress(Data("first\n".utf8))
    let b = try Gzip.compress(Data("second\n".utf8))
    #expect(try Gzip.decompress(a + b, file: "x.gz", limit: 1000) == Data("first\nsecond\n".utf8))
  }

  @Test func truncatedGzipIsMalformed() throws {
    let packed = try Gzip.compress(Data(String(repeating: "10000.0 0.5\n", count: 2000).utf8))
    let path = try IOTestSupport.write(packed.prefix(packed.count / 2), name: "truncated.prj")
    let error = #expect(throws: EXAFSError.self) { try SpectrumReader.read(path: path) }
    guard case .malformed(let loc, let message) = error else {
      Issue.record("expected .malformed, got \(String(describing: error))")
      return
    }
    #expect(loc.file == path)
    #expect(message.hasPrefix("corrupt or truncated gzip data"))
  }

  @Test func corruptGzipIsMalformed() throws {
    var packed = [UInt8](try Gzip.compress(Data(String(repeating: "10000.0 0.5\n", count: 2000).utf8)))
    for i in 20..<60 { packed[i] ^= 0x5A }
    let error = #expect(throws: EXAFSError.self) { try Gzip.decompress(Data(packed), file: "bad.gz", limit: 1 << 20) }
    #expect(error?.description.contains("corrupt or truncated gzip data") == true)
  }

  @Test func decompressionBombIsStopped() throws {
    let packed = try Gzip.compress(Data(count: 4 << 20))  // 4 MB of zeros -> about 4 kB
    let error = #expect(throws: EXAFSError.self) { try Gzip.decompress(packed, file: "bomb.gz", limit: 1 << 20) }
    guard case .tooLarge = error else {
      Issue.record("expected .tooLarge, got \(String(describing: error))")
      return
    }
  }
}
