// A direct JSON writer whose bytes are those of Foundation's JSONEncoder with
// `[.prettyPrinted, .sortedKeys]`, without building the encoder's intermediate value tree.
import Foundation

/// Appends JSON text to a UTF-8 byte buffer in exactly the layout Foundation's `JSONEncoder`
/// produces with `outputFormatting = [.prettyPrinted, .sortedKeys]` (slashes escaped):
///
/// - two spaces of indentation per level, `"key" : value`, elements separated by `,\n`;
/// - an empty object or array still gets its two line breaks: `{\n\n<indent>}`, `[\n\n<indent>]`;
/// - strings escaped byte by byte: `"` `\` `/` as `\"` `\\` `\/`, backspace, form feed, newline,
///   return and tab as `\b \f \n \r \t`, other bytes below 0x20 as `\u00xx` (lowercase hex), all
///   other bytes (DEL, non-ASCII UTF-8) as they are;
/// - a Double as its Swift `description` with a trailing `.0` removed (`8980`, `0.1`, `1e-05`,
///   `1.2345678901234568e+17`), integers as their `description`;
/// - no line break after the top-level value.
///
/// The writer does not sort: callers emit the keys of each object in ascending order of their
/// UTF-8 bytes (JSONEncoder's `.sortedKeys` order), using `sortedByUTF8` for dictionaries.
/// A non-finite Double throws the `EncodingError.invalidValue` that JSONEncoder throws, with the
/// coding path of the object keys that lead to it (an enclosing array adds an empty key, not
/// JSONEncoder's "Index n"; no record type has arrays of objects or numbers).
struct PrettyJSONWriter: ~Copyable {
  // Manually managed storage: appending through Array costs several times more per call, and a
  // record is hundreds of short appends.
  private var storage: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Number of bytes written.
  private(set) var count = 0
  /// Nesting depth of the open containers (the indentation level of their elements).
  private var depth = 0
  /// Whether the innermost open container has no element yet.
  private var isEmpty = true
  /// Keys leading to the innermost open object (for the coding path of an error).
  private var path: [String] = []
  /// The key written last in the innermost open object.
  private var currentKey: String?

  /// A writer whose buffer has room for `capacity` bytes before it grows.
  init(capacity: Int = 0) {
    self.capacity = max(64, capacity)
    storage = .allocate(capacity: self.capacity)
  }

  deinit { storage.deallocate() }

  /// The text written so far, as Data.
  var data: Data { Data(bytes: storage, count: count) }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  private mutating func reserve(_ extra: Int) {
    if count + extra > capacity { growByteStorage(&storage, capacity: &capacity, count: count, needed: count + extra) }
  }

  /// Appends bytes for which room was reserved.
  @inline(__always)
  private mutating func put(_ byte: UInt8) {
    storage[count] = byte
    count += 1
  }

  /// Appends bytes for which room was reserved.
  @inline(__always)
  private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress else { return }
    (storage + count).update(from: base, count: bytes.count)
    count += bytes.count
  }

  // MARK: Containers

  /// Opens an object (as the top-level value, after `key(_:)`, or after `element()`).
  mutating func beginObject() { open(UInt8(ascii: "{")) }

  /// Closes the innermost object.
  mutating func endObject() { close(UInt8(ascii: "}")) }

  /// Opens an array (as the top-level value, after `key(_:)`, or after `element()`).
  mutating func beginArray() { open(UInt8(ascii: "[")) }

  /// Closes the innermost array.
  mutating func endArray() { close(UInt8(ascii: "]")) }

  private mutating func open(_ bracket: UInt8) {
    if depth > 0 { path.append(currentKey ?? "") }
    reserve(2)
    put(bracket)
    put(UInt8(ascii: "\n"))
    depth += 1
    isEmpty = true
    currentKey = nil
  }

  private mutating func close(_ bracket: UInt8) {
    depth -= 1
    reserve(2 * depth + 2)
    put(UInt8(ascii: "\n"))
    indent()
    put(bracket)
    // The enclosing container holds at least this one element.
    isEmpty = false
    currentKey = depth > 0 ? path.removeLast() : nil
  }

  /// Starts the next member of the innermost object: separator, indentation, `"name" : `.
  mutating func key(_ name: String) {
    separate()
    string(name)
    reserve(3)
    put(UInt8(ascii: " "))
    put(UInt8(ascii: ":"))
    put(UInt8(ascii: " "))
    currentKey = name
  }

  /// Starts the next element of the innermost array: separator and indentation.
  mutating func element() { separate() }

  private mutating func separate() {
    reserve(2 * depth + 2)
    if isEmpty {
      isEmpty = false
    } else {
      put(UInt8(ascii: ","))
      put(UInt8(ascii: "\n"))
    }
    indent()
  }

  /// Two spaces per level (room reserved by the caller).
  @inline(__always)
  private mutating func indent() {
    (storage + count).initialize(repeating: UInt8(ascii: " "), count: 2 * depth)
    count += 2 * depth
  }

  // MARK: Scalars

  /// Writes `null`.
  mutating func null() { append("null") }

  /// Writes `true` or `false`.
  mutating func bool(_ value: Bool) { append(value ? "true" : "false") }

  /// Writes an integer in decimal.
  mutating func integer(_ value: some FixedWidthInteger) { append(value.description) }

  /// Writes a finite Double as JSONEncoder does: its `description` without a trailing `.0`.
  /// - Throws: `EncodingError.invalidValue` for NaN or an infinity (JSONEncoder's default
  ///   `nonConformingFloatEncodingStrategy = .throw`).
  mutating func number(_ value: Double) throws(EncodingError) {
    guard value.isFinite else { throw nonFinite(value) }
    var text = value.description
    text.withUTF8 { utf8 in
      var n = utf8.count
      if n >= 2 && utf8[n - 2] == UInt8(ascii: ".") && utf8[n - 1] == UInt8(ascii: "0") { n -= 2 }
      reserve(n)
      put(UnsafeBufferPointer(rebasing: utf8[..<n]))
    }
  }

  /// Writes a quoted, escaped string.
  mutating func string(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      // Room for the worst case: every byte escaped as \u00xx, and the quotes.
      reserve(6 * utf8.count + 2)
      put(UInt8(ascii: "\""))
      var runStart = 0
      for i in 0..<utf8.count {
        let byte = utf8[i]
        // Fast path: bytes written as they are.
        if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "/") {
          continue
        }
        put(UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
        runStart = i + 1
        put(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): put(byte)
        case 0x08: put(UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "f"))
        case 0x0A: put(UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "t"))
        default:
          put(UInt8(ascii: "u"))
          put(UInt8(ascii: "0"))
          put(UInt8(ascii: "0"))
          put(Self.hexDigit(byte >> 4))
          put(Self.hexDigit(byte & 0x0F))
        }
      }
      put(UnsafeBufferPointer(rebasing: utf8[runStart...]))
      put(UInt8(ascii: "\""))
    }
  }

  private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
  }

  /// Appends text that needs no escaping.
  private mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { utf8 in
      reserve(utf8.count)
      put(utf8)
    }
  }

  // MARK: Members

  /// Writes the member `name: value`.
  mutating func field(_ name: String, _ value: Double) throws(EncodingError) {
    key(name)
    try number(value)
  }

  /// Writes the member `name: value`, or nothing when `value` is nil (as `encodeIfPresent`).
  mutating func field(_ name: String, _ value: Double?) throws(EncodingError) {
    guard let value else { return }
    try field(name, value)
  }

  /// Writes the member `name: value`.
  mutating func field(_ name: String, _ value: String) {
    key(name)
    string(value)
  }

  /// Writes the member `name: value`, or nothing when `value` is nil.
  mutating func field(_ name: String, _ value: String?) {
    guard let value else { return }
    field(name, value)
  }

  /// Writes the member `name: value`.
  mutating func field(_ name: String, _ value: some FixedWidthInteger) {
    key(name)
    integer(value)
  }

  /// Writes the member `name: value`, or nothing when `value` is nil.
  mutating func field<T: FixedWidthInteger>(_ name: String, _ value: T?) {
    guard let value else { return }
    field(name, value)
  }

  /// Writes the member `name: value`.
  mutating func field(_ name: String, _ value: Bool) {
    key(name)
    bool(value)
  }

  /// Writes the member `name: value` (a nested object or other JSON value).
  mutating func field(_ name: String, _ value: some JSONWritable) throws(EncodingError) {
    key(name)
    try value.writeJSON(into: &self)
  }

  /// Writes the member `name: value`, or nothing when `value` is nil.
  mutating func field<T: JSONWritable>(_ name: String, _ value: T?) throws(EncodingError) {
    guard let value else { return }
    try field(name, value)
  }

  /// Writes the member `name: [strings]`.
  mutating func field(_ name: String, _ values: [String]) {
    key(name)
    beginArray()
    for value in values {
      element()
      string(value)
    }
    endArray()
  }

  /// Writes the member `name: {key: string ...}` with the keys in sorted order.
  mutating func field(_ name: String, _ values: [String: String]) {
    key(name)
    beginObject()
    for (k, v) in values.sortedByUTF8() { field(k, v) }
    endObject()
  }

  /// Writes the member `name: {key: value ...}` with the keys in sorted order.
  mutating func field<T: JSONWritable>(_ name: String, _ values: [String: T]) throws(EncodingError) {
    key(name)
    beginObject()
    for (k, v) in values.sortedByUTF8() { try field(k, v) }
    endObject()
  }

  // MARK: Errors

  /// The error JSONEncoder throws for a non-finite Double at the current key.
  private func nonFinite(_ value: Double) -> EncodingError {
    let keys = (currentKey.map { path + [$0] } ?? path).map { JSONPathKey(stringValue: $0) }
    let what = value.isNaN ? "Double.nan" : value < 0 ? "-Double.infinity" : "Double.infinity"
    return .invalidValue(
      value, EncodingError.Context(codingPath: keys, debugDescription: "Unable to encode \(what) directly in JSON."))
  }
}

/// A coding-path entry of a `PrettyJSONWriter` error.
struct JSONPathKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// A value that writes itself with `PrettyJSONWriter`, byte for byte as JSONEncoder encodes its
/// `Encodable` conformance with `[.prettyPrinted, .sortedKeys]`.
protocol JSONWritable {
  /// Writes the value at the writer's current position (after a key, an array element, or at the top).
  func writeJSON(into writer: inout PrettyJSONWriter) throws(EncodingError)
}

extension Dictionary where Key == String {
  /// The entries in ascending order of the keys' UTF-8 bytes (JSONEncoder's `.sortedKeys` order).
  ///
  /// The keys' bytes are copied once into one buffer and the entries sorted by memcmp on it:
  /// comparing `String.utf8` views costs several times more per comparison.
  func sortedByUTF8() -> [(key: String, value: Value)] {
    let entries = Array(self)
    var bytes: [UInt8] = []
    var spans: [(start: Int, count: Int)] = []
    spans.reserveCapacity(entries.count)
    for entry in entries {
      var key = entry.key
      let start = bytes.count
      key.withUTF8 { bytes.append(contentsOf: $0) }
      spans.append((start, bytes.count - start))
    }
    let order = bytes.withUnsafeBufferPointer { buffer in
      spans.withUnsafeBufferPointer { spans in
        entries.indices.sorted { i, j in
          let a = spans[i]
          let b = spans[j]
          let n = Swift.min(a.count, b.count)
          // n > 0 implies a non-empty buffer, so baseAddress is not nil.
          let order = n == 0 ? 0 : memcmp(buffer.baseAddress! + a.start, buffer.baseAddress! + b.start, n)
          return order != 0 ? order < 0 : a.count < b.count
        }
      }
    }
    return order.map { entries[$0] }
  }
}
