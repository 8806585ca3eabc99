// TextLines: reads an input file safely (size caps, gzip, binary check) and splits it into numbered lines.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Safety limits applied to every input file, so that a wrong or hostile file fails fast.
public enum InputLimits {
  /// Largest file read from disk, bytes (256 MB).
  public static let maxFileBytes = 256 << 20
  /// Largest content after gzip decompression, bytes (512 MB): guards against decompression bombs.
  public static let maxDecompressedBytes = 512 << 20
  /// Longest line accepted in a column or XDI file, bytes (1 MB).
  public static let maxLineBytes = 1 << 20
  /// Longest array accepted, points (1 million): data rows of a column or XDI file, values of one
  /// Athena array, points of one spectrum. Processing a 1-million-point spectrum takes about 0.5 GB.
  public static let maxArrayPoints = 1_000_000
  /// Most numbers read from one file, all columns or all project arrays together (32 million,
  /// 256 MB as doubles): many long lines must not add up to more memory than the machine has.
  public static let maxTotalValues = 32_000_000
}

/// One line of a text file with its 1-based line number.
struct TextLine: Sendable, Equatable {
  /// 1-based line number in the file.
  var number: Int
  /// The line's text without its line terminator.
  var text: String
}

/// A text file as a list of numbered lines.
struct TextLines: Sendable {
  /// The path as the user gave it, for error messages.
  var file: String
  /// Every line of the file, blank lines included.
  var lines: [TextLine]

  /// A location in this file.
  func location(line: Int? = nil, column: Int? = nil) -> SourceLocation {
    SourceLocation(file: file, line: line, column: column)
  }

  /// Reads at most `limit` bytes of `path`; larger files throw `.tooLarge`; missing files, folders,
  /// pipes, sockets and devices throw `.unreadable` (a pipe would block, a device never end).
  static func readBytes(path: String, limit: Int = InputLimits.maxFileBytes) throws -> Data {
    let loc = SourceLocation(file: path)
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then rejects it.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      switch code {
      case ENOENT, ENOTDIR: throw EXAFSError.unreadable(loc, "no such file")
      case EACCES, EPERM: throw EXAFSError.unreadable(loc, "permission denied")
      default: throw EXAFSError.unreadable(loc, String(cString: strerror(code)))
      }
    }
    defer { _ = close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw EXAFSError.unreadable(loc, String(cString: strerror(errno))) }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      break
    case S_IFDIR:
      throw EXAFSError.unreadable(loc, "this is a directory, not a data file")
    default:
      throw EXAFSError.unreadable(loc, "not a regular file (a pipe, socket or device); save the data to a file first")
    }
    if info.st_size > limit {
      throw EXAFSError.tooLarge(loc, "the file is larger than \(limit >> 20) MB")
    }
    // read(2) straight into one buffer of the file's size (+1, to see the end without another
    // call): FileHandle.read(upToCount:) read 4 kB per call and appended chunks (7 calls and
    // copies for a 20 kB scan). The file may grow while it is read: the buffer grows, the limit holds.
    var data = Data(count: min(Int(info.st_size), limit) + 1)
    var count = 0
    while true {
      if count == data.count {
        guard count <= limit else { throw EXAFSError.tooLarge(loc, "the file is larger than \(limit >> 20) MB") }
        data.count = min(2 * count, limit + 1)
      }
      let (n, code) = data.withUnsafeMutableBytes { bytes in
        let n = read(fd, bytes.baseAddress! + count, bytes.count - count)
        return (n, errno)
      }
      if n < 0 {
        if code == EINTR { continue }
        throw EXAFSError.unreadable(loc, String(cString: strerror(code)))
      }
      if n == 0 { break }
      count += n
    }
    data.count = count
    return data
  }

  /// Reads `path`, decompressing gzip content, and returns the raw (decompressed) bytes.
  static func loadBytes(path: String) throws -> Data {
    let data = try readBytes(path: path)
    if Gzip.isGzip(data) {
      return try Gzip.decompress(data, file: path, limit: InputLimits.maxDecompressedBytes)
    }
    return data
  }

  /// Decodes `data` as UTF-8 (falling back to Latin-1) and splits it into lines.
  ///
  /// Binary content (NUL bytes, or mostly control characters) is rejected with `.malformed`;
  /// a line longer than `maxLineBytes` is rejected with `.tooLarge`. Line terminators may be
  /// `\n`, `\r\n` or a lone `\r` (old Mac files).
  static func decode(
    _ data: Data, file: String, maxLineBytes: Int = InputLimits.maxLineBytes
  ) throws -> TextLines {
    // A UTF-8 byte order mark (Windows editors write one) is not part of the first line.
    let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
    try rejectBinary(data, file: file)
    let text: String
    if let utf8 = String(validating: data, as: UTF8.self) {
      text = utf8
    } else if let latin1 = String(data: data, encoding: .isoLatin1) {
      text = latin1
    } else {
      throw EXAFSError.malformed(SourceLocation(file: file), "the file is neither UTF-8 nor Latin-1 text")
    }
    return try split(text, file: file, maxLineBytes: maxLineBytes)
  }

  /// Splits `text` on `\n`, `\r\n` and `\r`, checking the line-length limit.
  static func split(_ text: String, file: String, maxLineBytes: Int) throws -> TextLines {
    var lines: [TextLine] = []
    var text = text
    // On the contiguous UTF-8 bytes: a line ends at \n, \r\n or \r, all ASCII, so every line
    // is valid UTF-8 when the text is.
    try text.withUTF8 { bytes in
      var start = 0
      var index = 0
      let size = bytes.count
      func append(_ end: Int) throws {
        let number = lines.count + 1
        if end - start > maxLineBytes {
          throw EXAFSError.tooLarge(
            SourceLocation(file: file, line: number),
            "line \(number) is longer than \(maxLineBytes >> 10) kB; this is not a column data file")
        }
        lines.append(TextLine(number: number, text: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
      }
      while index < size {
        let byte = bytes[index]
        if byte == 0x0A || byte == 0x0D {
          try append(index)
          var next = index + 1
          if byte == 0x0D, next < size, bytes[next] == 0x0A { next += 1 }
          index = next
          start = next
        } else {
          index += 1
        }
      }
      if start < size { try append(size) }
    }
    return TextLines(file: file, lines: lines)
  }

  /// Throws `.malformed` when `data` looks like binary content rather than text.
  /// Whether `byte` is a control character that text files do not have: below 0x20 or DEL, except
  /// tab, line feed, vertical tab, form feed, carriage return and DOS end-of-file (0x1A).
  @inline(__always)
  static func isForeignControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 || byte == 0x7F) && !(byte >= 0x09 && byte <= 0x0D) && byte != 0x1A
  }

  /// The number of `isForeignControl` bytes in `bytes`, eight at a time: a 64-bit word has a byte
  /// below 0x20 iff (w - 0x20...20) & ~w & 0x80...80 is non-zero (the classic "has less" test,
  /// exact for n <= 128), and a DEL iff w ^ 0x7F...7F has a zero byte; only words that pass one of
  /// the tests (those with a line end or tab, in text) are looked at byte by byte.
  /// (A SIMD16<UInt8> version compiled to more instructions than the plain byte loop.)
  static func controlBytes(_ bytes: UnsafeRawBufferPointer) -> Int {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    var control = 0
    var i = 0
    let n = bytes.count
    while i + 8 <= n {
      let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      let below = (w &- ones &* 0x20) & ~w & highs
      let d = w ^ (ones &* 0x7F)
      let del = (d &- ones) & ~d & highs
      if below | del != 0 {
        for j in i..<(i + 8) where isForeignControl(bytes[j]) { control += 1 }
      }
      i += 8
    }
    while i < n {
      if isForeignControl(bytes[i]) { control += 1 }
      i += 1
    }
    return control
  }

  static func rejectBinary(_ data: Data, file: String) throws {
    let verdict: String? = data.withUnsafeBytes { raw -> String? in
      guard let base = raw.baseAddress, raw.count > 0 else { return nil }
      if memchr(base, 0, raw.count) != nil {
        return "it contains NUL bytes (a binary file, or text saved as UTF-16: save it as UTF-8)"
      }
      let sample = raw.prefix(65_536)
      let control = Self.controlBytes(UnsafeRawBufferPointer(rebasing: sample))
      if control * 20 > sample.count {
        return "\(control * 100 / sample.count)% of its first bytes are control characters"
      }
      return nil
    }
    if let verdict {
      throw EXAFSError.malformed(
        SourceLocation(file: file),
        "this does not look like a text data file: \(verdict); expected columns of numbers, XDI or an Athena project")
    }
  }
}

extension String {
  /// The 1-based character position of `index` in this string, for error locations.
  func characterColumn(of index: String.Index) -> Int {
    distance(from: startIndex, to: index) + 1
  }
}
