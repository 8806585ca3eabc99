// Building blocks of the HTML report: escaping of text that came from files, relative links, numbers.
import EXAFSKit
import Foundation

/// Small helpers that turn untrusted text and numbers into safe HTML fragments.
///
/// Every string that came from an input file or the command line (names, sources, metadata,
/// notes, warnings) goes through `escape` before it reaches the page, and every file name through
/// `link` before it becomes an `href` or `src`, so file content can never add markup, scripts or
/// links to other places.
enum HTML {
  /// `text` with `& < > " '` replaced by character references and control characters (other than
  /// tab and newline) by U+FFFD, safe both as element content and inside a quoted attribute.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// Bytes left as they are in a relative link: unreserved characters of RFC 3986 and `/`.
  private static let linkSafe: Set<UInt8> = Set(
    Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8))

  /// A relative file path as the value of `href`/`src`: every byte outside `[A-Za-z0-9-._~/]` is
  /// percent-encoded (so `#`, `?`, `:` and spaces in a spectrum name stay part of the file name and
  /// a name such as `javascript:x` stays a relative path). The result needs no further escaping.
  static func link(_ path: String) -> String {
    var out = ""
    for byte in path.utf8 {
      if linkSafe.contains(byte) {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += String(format: "%%%02X", byte)
      }
    }
    return out
  }

  /// `value` with a printf format, "–" when missing and "∞" when not finite.
  static func number(_ value: Double?, _ format: String) -> String {
    guard let value else { return "–" }
    guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
    return String(format: format, value)
  }

  /// `value ± uncertainty`, the uncertainty left out when it was not computed (zero or missing).
  static func withUncertainty(_ value: Double?, _ uncertainty: Double?, _ format: String) -> String {
    guard let value else { return "–" }
    guard let uncertainty, uncertainty > 0, uncertainty.isFinite else { return number(value, format) }
    // An uncertainty below the last printed digit is shown in exponent form, never as 0.0000.
    let u = number(uncertainty, format)
    return "\(number(value, format)) ± \(Double(u) == 0 ? String(format: "%.1e", uncertainty) : u)"
  }

  /// A file's extension, lower case, without the dot.
  static func fileExtension(_ path: String) -> String {
    (path as NSString).pathExtension.lowercased()
  }

  /// Whether browsers show this file in an `<img>` (PNG, SVG); PDF figures are linked instead.
  static func isInlineImage(_ path: String) -> Bool {
    ["png", "svg", "jpg", "jpeg", "gif", "webp"].contains(fileExtension(path))
  }
}
