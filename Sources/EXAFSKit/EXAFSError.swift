// EXAFSError: the typed errors of EXAFSKit, written for the scientist who has to fix the input.

/// Where in an input something went wrong: a file, and where known a 1-based line and column.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  /// Path of the input file as the user gave it.
  public var file: String
  /// 1-based line number, when the problem is on one line.
  public var line: Int?
  /// 1-based column (character position within the line), when known.
  public var column: Int?

  public init(file: String, line: Int? = nil, column: Int? = nil) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column`, the form compilers use and editors understand.
  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if line != nil, let column { text += ":\(column)" }
    return text
  }
}

/// Every error the EXAFSKit library throws.
///
/// Each case carries enough context to say what is wrong and what to do; `description`
/// is the message shown to the user.
public enum EXAFSError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file could not be opened or read at all (missing, a directory, permissions).
  case unreadable(SourceLocation, String)
  /// The file's text does not follow its format (bad number, wrong column count, bad XDI field ...).
  case malformed(SourceLocation, String)
  /// The file parsed, but its data cannot be processed (NaN in mu, no edge, too few points ...).
  case unusableData(SourceLocation, String)
  /// Input exceeds a safety limit (decompressed size, line length, array length).
  case tooLarge(SourceLocation, String)
  /// A processing parameter is out of its valid range. Associated values: parameter name, message.
  case invalidParameter(String, String)
  /// A numerical step failed (e.g. the background fit did not converge to finite numbers).
  case numerical(String)
  /// An output file could not be written. Associated values: path, reason.
  case writeFailed(String, String)

  public var description: String {
    switch self {
    case .unreadable(let loc, let msg): return "\(loc): cannot read file: \(msg)"
    case .malformed(let loc, let msg): return "\(loc): \(msg)"
    case .unusableData(let loc, let msg): return "\(loc): \(msg)"
    case .tooLarge(let loc, let msg): return "\(loc): input too large: \(msg)"
    case .invalidParameter(let name, let msg): return "invalid parameter \(name): \(msg)"
    case .numerical(let msg): return "numerical failure: \(msg)"
    case .writeFailed(let path, let msg): return "\(path): cannot write output: \(msg)"
    }
  }

  /// The location the error refers to, when it refers to an input file.
  public var location: SourceLocation? {
    switch self {
    case .unreadable(let loc, _), .malformed(let loc, _), .unusableData(let loc, _), .tooLarge(let loc, _):
      return loc
    default: return nil
    }
  }
}
