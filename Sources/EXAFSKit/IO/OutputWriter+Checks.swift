// OutputWriter+Checks: what a writer may replace (regular files that are not inputs), our own outputs, stale temporaries.
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file's device and inode, after symlinks: two paths with equal identities are one file (also
/// through hard links).
public struct FileIdentity: Hashable, Sendable {
  public var device: UInt64
  public var inode: UInt64

  /// The identity of the file at `path`, following symlinks; nil when there is none.
  public init?(path: String) {
    var s = stat()
    guard stat(path, &s) == 0 else { return nil }
    self.init(s)
  }

  /// The identity in a `stat` result.
  init(_ s: stat) {
    device = UInt64(s.st_dev)
    inode = UInt64(s.st_ino)
  }
}

/// Checks made before anything is written, so that an output never replaces an input, a device,
/// a FIFO or a folder.
public enum OutputChecks {
  /// Inputs of this process: `AtomicWriter` refuses to replace any of them.
  private static let protected = Mutex<[FileIdentity: String]>([:])

  /// Registers `paths` (files; folders are skipped) as inputs that no output may replace.
  public static func protectInputs(_ paths: [String]) {
    let ids = paths.compactMap { p in FileIdentity(path: p).map { ($0, p) } }
    protected.withLock { table in for (id, p) in ids where table[id] == nil { table[id] = p } }
  }

  /// The input that `path` is (same device and inode), if any.
  public static func protectedInput(at path: String) -> String? {
    guard let id = FileIdentity(path: path) else { return nil }
    return protectedInput(id)
  }

  /// The input with identity `id`, if any.
  static func protectedInput(_ id: FileIdentity) -> String? {
    protected.withLock { $0[id] }
  }

  /// Refuses an output file path: one that exists and is not a regular file (after symlinks), or
  /// that is one of `inputs` (compared by device and inode).
  ///
  /// - Parameter option: the parameter naming the output (for the message), e.g. `output`.
  /// - Throws: `EXAFSError.invalidParameter(option, ...)`.
  public static func checkOutputFile(_ path: String, option: String, inputs: [String]) throws {
    if let kind = nonRegularKind(path) {
      throw EXAFSError.invalidParameter(
        option, "\(path) is \(kind), not a regular file; exafs writes only regular files and never replaces \(kind)")
    }
    guard let id = FileIdentity(path: path) else { return }
    for input in inputs where FileIdentity(path: input) == id {
      throw EXAFSError.invalidParameter(
        option, "\(path) is the input \(input) (the same file); choose another output so the input is kept")
    }
  }

  /// Refuses an output folder that exists and is not a folder.
  public static func checkOutputFolder(_ path: String, option: String) throws {
    var s = stat()
    guard stat(path, &s) == 0 else { return }
    if (s.st_mode & S_IFMT) != S_IFDIR {
      throw EXAFSError.invalidParameter(option, "\(path) exists and is not a folder")
    }
  }

  /// "a FIFO", "a device", ... when `path` exists (after symlinks) and is not a regular file; nil
  /// when it is a regular file or does not exist.
  public static func nonRegularKind(_ path: String) -> String? {
    var s = stat()
    guard stat(path, &s) == 0 else { return nil }
    return nonRegularKind(mode: s.st_mode)
  }

  /// `nonRegularKind` of a file with the `st_mode` of a `stat` result.
  static func nonRegularKind(mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "a folder"
    case S_IFIFO: return "a FIFO"
    case S_IFCHR, S_IFBLK: return "a device"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
  }

  /// Whether `path` is a file exafs wrote: a text file whose first line starts with `# EXAFSKit `
  /// (column files, maps, merges), a summary.csv with our header, an HTML page we generated, or a
  /// result record (NAME.json naming the tool). Reads at most 64 kB (4 kB unless .html or .json).
  public static func isOwnOutput(_ path: String) -> Bool {
    classify(path) == .ownOutput
  }

  /// What a path in an input folder is, for `Batch.expandInputs`.
  enum EntryKind: Equatable {
    /// Nothing there (or a dangling symlink).
    case missing
    /// A folder (after symlinks).
    case folder
    /// A regular file that exafs wrote (`isOwnOutput`).
    case ownOutput
    /// Anything else: a data file, or a FIFO, device or unreadable file that the reader will
    /// reject with its own message.
    case other
  }

  /// Classifies `path` with one `stat` and, for a regular file, one `open` and one `pread` (a
  /// batch's start runs this on every input: the FileHandle reads it replaced cost ~10 system
  /// calls and ~60 µs per file, 60 ms of a 1,000-scan batch before any worker started). Only
  /// regular files are opened: a FIFO could block, a device have side effects.
  static func classify(_ path: String) -> EntryKind {
    var s = stat()
    guard stat(path, &s) == 0 else { return .missing }
    switch s.st_mode & S_IFMT {
    case S_IFDIR: return .folder
    case S_IFREG: break
    default: return .other
    }
    let lower = path.lowercased()
    let isHTML = lower.hasSuffix(".html"), isJSON = lower.hasSuffix(".json")
    // The markers of an HTML page or a record may be anywhere in its head; everything else is
    // decided by the first line, and a first line longer than 4 kB is neither marker nor header.
    let limit = isHTML || isJSON ? 1 << 16 : 1 << 12
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return .other }
    defer { _ = close(fd) }
    let head = [UInt8](unsafeUninitializedCapacity: limit) { buffer, count in
      var total = 0
      while total < limit {
        let n = pread(fd, buffer.baseAddress! + total, limit - total, off_t(total))
        if n < 0, errno == EINTR { continue }
        if n <= 0 { break }
        total += n
      }
      count = total
    }
    var bytes = head[...]
    guard !bytes.isEmpty else { return .other }
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    let firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
    if firstLine.hasPrefix("# EXAFSKit ") || firstLine.hasPrefix("#EXAFSKit ") { return .ownOutput }
    if firstLine.trimmingCharacters(in: .whitespaces) == SpectrumRecord.csvHeader { return .ownOutput }
    guard isHTML || isJSON else { return .other }
    let text = String(decoding: bytes, as: UTF8.self)
    if isHTML { return text.contains("<meta name=\"generator\" content=\"EXAFSKit ") ? .ownOutput : .other }
    return text.contains("\"exafs (EXAFSKit)\"") ? .ownOutput : .other
  }

  /// Whether a file name is one of our temporaries, `.NAME.tmp-XXXXXX`.
  public static func isTemporaryName(_ name: String) -> Bool {
    guard name.hasPrefix("."), let r = name.range(of: ".tmp-", options: .backwards), r.lowerBound > name.startIndex
    else { return false }
    let suffix = name[r.upperBound...]
    return !suffix.isEmpty && suffix.count <= 8 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }

  /// Removes our stale temporaries (`.NAME.tmp-XXXXXX`, left by a run that was killed) from
  /// `folder`, except protected files (a live temporary of this process); returns their names.
  /// - Parameter names: the folder's listing when the caller has it (nil: listed here).
  @discardableResult
  public static func removeStaleTemporaries(in folder: String, names: [String]? = nil) -> [String] {
    let names = names ?? (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    var removed: [String] = []
    for name in names.sorted() where isTemporaryName(name) {
      let path = (folder as NSString).appendingPathComponent(name)
      // A protected file is a live temporary of this process (an HDF5 file being built in the folder).
      guard nonRegularKind(path) == nil, protectedInput(at: path) == nil, unlink(path) == 0 else { continue }
      removed.append(name)
    }
    return removed
  }

  /// The name of the temporary for output `name`: `.NAME.tmp-SUFFIX`, with NAME shortened to its
  /// first 96 bytes plus a hash of the whole when it is long (file names are limited to 255 bytes).
  static func temporaryName(for name: String, suffix: String) -> String {
    let utf8 = Array(name.utf8)
    guard utf8.count > 200 else { return ".\(name).tmp-\(suffix)" }
    var cut = 96
    while cut > 0 && (utf8[cut] & 0xC0) == 0x80 { cut -= 1 }  // do not split a UTF-8 character
    let head = String(decoding: utf8[..<cut], as: UTF8.self)
    return ".\(head)~\(fnv1a(utf8)).tmp-\(suffix)"
  }

  /// 64-bit FNV-1a of `bytes`, 16 hex digits.
  static func fnv1a(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01B3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}

/// An advisory lock (`flock`) on a folder, held while a run writes into it: a second run into the
/// same folder is refused. The lock file `.exafs.lock` (holding the owner's pid) is removed on release.
public final class FolderLock: Sendable {
  public let path: String
  private let fd: Int32

  /// Name of the lock file inside the folder.
  public static let fileName = ".exafs.lock"

  /// Takes the lock of `folder` without waiting.
  /// - Throws: `.writeFailed(folder, ...)` when another run holds it (naming its pid) or the lock
  ///   file cannot be made.
  public init(folder: String) throws {
    let path = (folder as NSString).appendingPathComponent(Self.fileName)
    while true {
      let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
      guard fd >= 0 else {
        throw EXAFSError.writeFailed(folder, "cannot create the lock file \(Self.fileName): \(String(cString: strerror(errno)))")
      }
      if flock(fd, LOCK_EX | LOCK_NB) != 0 {
        let code = errno
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = read(fd, &buffer, 31)
        _ = close(fd)
        if code == EWOULDBLOCK {
          let pid = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
          throw EXAFSError.writeFailed(
            folder, "another exafs run (pid \(pid)) is writing into this folder; wait for it to end or choose another output folder")
        }
        throw EXAFSError.writeFailed(folder, "cannot lock \(Self.fileName): \(String(cString: strerror(code)))")
      }
      // The holder before us may have removed the file after we opened it: lock the file that is there.
      var mine = stat(), there = stat()
      if fstat(fd, &mine) == 0, stat(path, &there) == 0, mine.st_ino == there.st_ino, mine.st_dev == there.st_dev {
        _ = ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        self.path = path
        self.fd = fd
        return
      }
      _ = close(fd)
    }
  }

  /// Removes the lock file and releases the lock (also done when the value is dropped).
  deinit {
    _ = unlink(path)
    _ = close(fd)
  }
}
