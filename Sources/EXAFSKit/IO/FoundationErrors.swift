// FoundationErrors: Foundation's file errors ("NSCocoaErrorDomain error 256") said in our words, with the system's reason.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Plain messages for the errors Foundation throws on file operations.
public enum FoundationErrors {
  /// A short reason for `error`: the POSIX reason when one is known (`no such file or directory`,
  /// `not a directory` ...), else a description of the Cocoa file error code; never "NSCocoaErrorDomain error N".
  public static func describe(_ error: any Error) -> String {
    if let e = error as? EXAFSError { return e.description }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSCocoaErrorDomain {
      switch ns.code {
      case 4, 260: return "no such file"
      case 257, 513: return "permission denied"
      case 256: return Self.isDirectory(ns) ? "this is a folder, not a file" : "the file could not be read"
      case 259, 261, 264: return "the file is not text in a known encoding"
      case 512: return "the file or folder could not be written (is a parent not a folder?)"
      case 516: return "a file of that name exists"
      case 640: return "no space left on the device"
      case 642: return "the volume is read-only"
      case 3840: return "not valid JSON"
      default: return "file error \(ns.code)"
      }
    }
    let text = ns.localizedDescription
    return text.hasPrefix("The operation could not be completed. ") ? String(text.dropFirst(38)) : text
  }

  private static func isDirectory(_ error: NSError) -> Bool {
    guard let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
    else { return false }
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }
}
