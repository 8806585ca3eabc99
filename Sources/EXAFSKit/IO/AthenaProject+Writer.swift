// AthenaProject+Writer: writes groups as an Athena project (gzipped Data::Dumper text) for Athena and Larch.
import Foundation

extension AthenaProject {
  /// The Demeter version announced in the header; readers (Athena, Larch) check its format.
  static let demeterVersion = "0.9.26"

  /// The gzip-compressed project file holding `groups`, ready for `AtomicWriter.write`.
  ///
  /// - Parameter date: the creation time written into the header.
  public static func write(groups: [AthenaGroup], date: Date = Date()) throws -> Data {
    try Gzip.compress(Data(format(groups: groups, date: date).utf8))
  }

  /// The uncompressed text of a project file holding `groups`.
  ///
  /// Each group's `@args` hold the full set Demeter writes (`fullArgs`: Demeter's bookkeeping
  /// defaults, the group's own args, `label`, `datatype` and the `is_*` flags consistent with it);
  /// group keys (`$old_group`) are made unique.
  public static func format(groups: [AthenaGroup], date: Date = Date()) -> String {
    var lines = [
      "# Athena project file -- Demeter version \(demeterVersion)",
      "# This file created at \(timestamp(date))",
      "# Using EXAFSKit \(exafsKitVersion) (Demeter \(demeterVersion) project format)",
    ]
    var usedKeys: Set<String> = []
    for (index, group) in groups.enumerated() {
      var key = group.oldGroup.isEmpty ? hashKey(group.label, index) : group.oldGroup
      var attempt = 0
      while usedKeys.contains(key) {
        attempt += 1
        key = hashKey(group.label, index + attempt * groups.count)
      }
      usedKeys.insert(key)
      let args = fullArgs(group, key: key)
      lines.append("")
      lines.append("$old_group = \(quoted(key));")
      lines.append(
        "@args = ("
          + args.keys.sorted().map { "\(quoted($0)),\(quoted(args[$0] ?? ""))" }
          .joined(separator: ",") + ");")
      lines.append(array("x", group.x))
      lines.append(array("y", group.y))
      if let i0 = group.i0 { lines.append(array("i0", i0)) }
      if let signal = group.signal { lines.append(array("signal", signal)) }
      if let stddev = group.stddev { lines.append(array("stddev", stddev)) }
      lines.append("[record]   # create object and set arrays in ifeffit")
    }
    lines += ["", "@journal = ();", "", "1;", "", "", "# Local Variables:", "# truncate-lines: t", "# End:", ""]
    return lines.joined(separator: "\n")
  }

  /// A Perl single-quoted string: `\` and `'` escaped, line breaks (which would split the
  /// one-statement-per-line layout) replaced by spaces.
  static func quoted(_ text: String) -> String {
    var out = "'"
    for c in text {
      switch c {
      case "\\": out += "\\\\"
      case "'": out += "\\'"
      case "\n", "\r", "\r\n": out += " "
      default: out.append(c)
      }
    }
    return out + "'"
  }

  /// `@name = ('v1','v2',...);` with shortest round-trip decimal numbers.
  private static func array(_ name: String, _ values: [Double]) -> String {
    "@\(name) = (" + values.map { "'\(number($0))'" }.joined(separator: ",") + ");"
  }

  private static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Inf" : "-Inf" }
    var text = "\(value)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
  }

  /// A 5-letter lower-case key like Athena's, derived from the label (FNV-1a) so output is reproducible.
  private static func hashKey(_ label: String, _ salt: Int) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in label.utf8 + Array(String(salt).utf8) {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    var key = ""
    for _ in 0..<5 {
      key.append(Character(Unicode.Scalar(UInt8(97 + hash % 26))))
      hash /= 26
    }
    return key
  }

  private static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}
