// OutputWriter: atomic file writes (temporary file + rename) and the plain column-file text format.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that readers never see a half-written output: the data go to a temporary
/// file `.NAME.tmp-XXXXXX` in the same directory, then are renamed over `path` (rename is atomic,
/// so a reader sees the old file or the whole new one, never a part).
public enum AtomicWriter {
  /// Writes `data` to `path` atomically.
  ///
  /// - Parameter durable: also `fsync` the file and its folder before returning (slow on many
  ///   small files; batch outputs do not need it because an interrupted batch is simply re-run).
  /// - Throws: `.writeFailed(path, reason)`; the temporary file is removed on any failure.
  /// - Throws: also when `path` exists and is not a regular file (a device, FIFO, folder, socket:
  ///   renaming over it would destroy it) or is one of the inputs registered with
  ///   `OutputChecks.protectInputs`. A symlink to a regular file is followed (the file is replaced,
  ///   the link kept).
  public static func write(_ data: Data, to givenPath: String, durable: Bool = false) throws {
    // One lstat (and a stat for a symlink) answers every check on the target: these calls were
    // ~5 % of a lean batch's time when each check made its own.
    var path = givenPath
    var s = stat()
    var exists = lstat(path, &s) == 0
    if exists, (s.st_mode & S_IFMT) == S_IFLNK {
      if let real = realpath(path, nil) {
        path = String(cString: real)
        free(real)
      }
      exists = stat(path, &s) == 0
    }
    if exists {
      if let kind = OutputChecks.nonRegularKind(mode: s.st_mode) {
        throw EXAFSError.writeFailed(givenPath, "it is \(kind), not a regular file; exafs writes only regular files")
      }
      if let input = OutputChecks.protectedInput(FileIdentity(s)) {
        throw EXAFSError.writeFailed(givenPath, "it is the input \(input); an input is never overwritten")
      }
    }
    // Plain string operations: URL(fileURLWithPath:) stats the path (twice per file here).
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let fileName = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    let temporary = (directory == "/" ? "" : directory) + "/" + OutputChecks.temporaryName(for: fileName, suffix: suffix)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
          throw EXAFSError.writeFailed(path, "the directory \(directory) does not exist")
        }
      }
      errno = code
      throw failure(path, "cannot create a temporary file in \(directory)")
    }
    var closed = false
    var renamed = false
    defer {
      if !closed { _ = close(fd) }
      if !renamed { _ = unlink(temporary) }
    }
    try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let written = posixWrite(fd, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw failure(path, "write error")
        }
        offset += written
      }
    }
    if durable { guard fsync(fd) == 0 else { throw failure(path, "cannot flush to disk") } }
    closed = true
    guard close(fd) == 0 else { throw failure(path, "close failed") }
    guard rename(temporary, path) == 0 else { throw failure(path, "cannot move the temporary file into place") }
    renamed = true
    // Best effort: make the rename itself durable.
    if durable {
      let dirFD = open(directory, O_RDONLY)
      if dirFD >= 0 {
        _ = fsync(dirFD)
        _ = close(dirFD)
      }
    }
  }

  /// Writes `text` as UTF-8 to `path` atomically.
  public static func write(_ text: String, to path: String) throws {
    try write(Data(text.utf8), to: path)
  }

  private static func failure(_ path: String, _ what: String) -> EXAFSError {
    let reason = String(cString: strerror(errno))
    return .writeFailed(path, "\(what): \(reason)")
  }
}

/// `write(2)`, named apart from `AtomicWriter.write`.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.write(fd, bytes, count)
  #else
    return Darwin.write(fd, bytes, count)
  #endif
}

/// Formats columns of numbers as a text file that numpy.loadtxt, gnuplot, Athena and Larch read.
public enum ColumnFileWriter {
  /// Width of one number, characters: enough for `%.10g` of any double (`-1.234567891e-308`).
  static let fieldWidth = 17

  /// The text of a column file.
  ///
  /// - Parameters:
  ///   - header: comment lines, written after `# ` (lines containing newlines are split).
  ///   - names: one name per column; written as the last comment line, aligned over the numbers
  ///     (spaces inside a name become `_`).
  ///   - columns: the values, one array per column; rows run to the longest column and missing
  ///     values are written as `nan`. Numbers use `%.10g`.
  public static func format(header: [String], names: [String], columns: [[Double]]) -> String {
    String(decoding: formatData(header: header, names: names, columns: columns), as: UTF8.self)
  }

  /// The UTF-8 text of a column file (see `format`), written into one buffer without a String.
  public static func formatData(header: [String], names: [String], columns: [[Double]]) -> Data {
    // The comment lines as bytes: splitting and padding Strings by Character cost more than the
    // numbers of a short file.
    var out: [UInt8] = []
    for entry in header {
      if entry.utf8.contains(13) {
        // "\r\n" is one Character, which the byte split below would cut: split by Character.
        for line in entry.split(separator: "\n", omittingEmptySubsequences: false) {
          out += line.isEmpty ? Array("#\n".utf8) : Array("# \(line)\n".utf8)
        }
        continue
      }
      for line in entry.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        out.append(UInt8(ascii: "#"))
        if !line.isEmpty {
          out.append(UInt8(ascii: " "))
          out += line
        }
        out.append(UInt8(ascii: "\n"))
      }
    }
    // Each label's bytes and its width in Characters.
    let labels = (0..<columns.count).map { j -> (bytes: [UInt8], characters: Int) in
      let name = j < names.count ? names[j] : "col\(j + 1)"
      if name.utf8.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 < 127) }) {
        // Printable ASCII and tabs: one Character per byte, whitespace is space or tab.
        let bytes = name.utf8.map { $0 == 32 || $0 == 9 ? UInt8(ascii: "_") : $0 }
        return (bytes, bytes.count)
      }
      let label = String(name.map { $0.isWhitespace ? "_" : $0 })
      return (Array(label.utf8), label.count)
    }
    let widths = labels.map { max(fieldWidth, $0.characters) }
    out.append(UInt8(ascii: "#"))
    for (label, width) in zip(labels, widths) {
      out.append(UInt8(ascii: " "))
      out += repeatElement(UInt8(ascii: " "), count: max(0, width - label.characters))
      out += label.bytes
    }
    out.append(UInt8(ascii: "\n"))
    let rows = columns.map(\.count).max() ?? 0
    let text = NumberTextBuffer(capacity: out.count + rows * widths.reduce(2) { $0 + max($1 + 1, 24) } + 128)
    out.withUnsafeBufferPointer { text.append($0) }
    // The values row after row in one buffer (missing ones nan), so that the row loop reads plain
    // memory instead of an array of arrays.
    let c = columns.count
    var table = [Double](repeating: .nan, count: rows * c)
    table.withUnsafeMutableBufferPointer { table in
      for j in 0..<c {
        columns[j].withUnsafeBufferPointer { column in
          for i in column.indices { table[i * c + j] = column[i] }
        }
      }
    }
    let fieldWidths = widths.map { $0 + 1 }
    table.withUnsafeBufferPointer { values in
      fieldWidths.withUnsafeBufferPointer { text.appendRows(values, fieldWidths: $0, digits: 10) }
    }
    return text.takeData()
  }
}

/// `value` as pretty-printed JSON text with sorted keys and a final newline, the layout of every
/// EXAFSKit summary (non-finite numbers are written as the strings "inf", "-inf" and "nan").
package func prettyJSONText<T: Encodable>(_ value: T) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  encoder.nonConformingFloatEncodingStrategy = .convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
  return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}
