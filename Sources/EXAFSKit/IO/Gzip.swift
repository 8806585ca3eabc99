// Gzip: gzip compression and bounded decompression through zlib (Athena projects are gzipped text).
import CZlibEXAFS
import Foundation

/// gzip encoding and decoding with a size limit on the decoded data.
enum Gzip {
  /// True when `data` starts with the gzip magic bytes `1f 8b`.
  static func isGzip(_ data: Data) -> Bool {
    data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
  }

  /// Decompresses gzip `data` (several concatenated members are allowed).
  ///
  /// - Throws: `.malformed` for corrupt or truncated data, `.tooLarge` when the output would
  ///   exceed `limit` bytes (a decompression-bomb guard).
  static func decompress(_ data: Data, file: String, limit: Int) throws -> Data {
    let loc = SourceLocation(file: file)
    var stream = z_stream()
    guard exafs_inflate_init_gzip(&stream) == Z_OK else {
      throw EXAFSError.numerical("zlib could not start decompression (out of memory?)")
    }
    defer { inflateEnd(&stream) }
    let input = [UInt8](data)
    let chunkSize = 1 << 16
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var output = Data()
    return try input.withUnsafeBufferPointer { inBuffer -> Data in
      guard let inBase = inBuffer.baseAddress else { throw corrupt(loc, "the file is empty") }
      stream.next_in = UnsafeMutablePointer(mutating: inBase)
      stream.avail_in = uInt(inBuffer.count)
      while true {
        let status = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = uInt(chunkSize)
          return inflate(&stream, Z_NO_FLUSH)
        }
        let produced = chunkSize - Int(stream.avail_out)
        appendBytes(of: chunk, count: produced, to: &output)
        if output.count > limit {
          throw EXAFSError.tooLarge(
            loc, "the gzip content expands to more than \(limit >> 20) MB; refusing to decompress further")
        }
        switch status {
        case Z_OK:
          continue
        case Z_STREAM_END:
          // Another gzip member may follow; anything else after the stream is ignored, as gzip does.
          let rest = Int(stream.avail_in)
          let next = inBuffer.count - rest
          guard rest >= 2, inBuffer[next] == 0x1F, inBuffer[next + 1] == 0x8B else { return output }
          guard inflateReset(&stream) == Z_OK else { throw corrupt(loc, "cannot restart after a gzip member") }
        case Z_BUF_ERROR where stream.avail_in == 0:
          throw corrupt(loc, "the data end before the gzip stream does (truncated download or copy?)")
        default:
          let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
          throw corrupt(loc, reason)
        }
      }
    }
  }

  /// Compresses `data` into a single gzip member (zlib level 6, as /bin/gzip).
  static func compress(_ data: Data) throws -> Data {
    var stream = z_stream()
    guard exafs_deflate_init_gzip(&stream, 6) == Z_OK else {
      throw EXAFSError.numerical("zlib could not start compression (out of memory?)")
    }
    defer { deflateEnd(&stream) }
    var input = [UInt8](data)
    let chunkSize = 1 << 16
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var output = Data()
    try input.withUnsafeMutableBufferPointer { inBuffer in
      stream.next_in = inBuffer.baseAddress
      stream.avail_in = uInt(inBuffer.count)
      var status = Z_OK
      while status != Z_STREAM_END {
        status = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = uInt(chunkSize)
          return deflate(&stream, Z_FINISH)
        }
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
          throw EXAFSError.numerical("zlib compression failed with status \(status)")
        }
        appendBytes(of: chunk, count: chunkSize - Int(stream.avail_out), to: &output)
      }
    }
    return output
  }

  /// Appends the first `count` bytes of `chunk` to `data` as one copy (element-wise appends make
  /// a 512 MB decompression take minutes in debug builds).
  private static func appendBytes(of chunk: [UInt8], count: Int, to data: inout Data) {
    chunk.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress, count > 0 { data.append(base, count: count) }
    }
  }

  private static func corrupt(_ loc: SourceLocation, _ reason: String) -> EXAFSError {
    .malformed(loc, "corrupt or truncated gzip data: \(reason); re-copy or re-export the file")
  }
}
