// AthenaJSONProject: reads Demeter's JSON project layout (Demeter::Data::JSON; gzip or plain).
import Foundation

/// Demeter's JSON layout of an Athena project: one object whose `_____header1...` entries hold
/// the header comments, `_____order` the group keys in Athena's order, `_____journal` the
/// journal, and one entry per group key `{"args": {...}, "x": [...], "y": [...], "i0": [...],
/// "signal": [...], "stddev": [...]}` (numbers, or numbers written as strings). Groups missing
/// from `_____order` follow in key order. Larch's `read_athena` reads the same layout
/// (`parse_jsonathena`).
enum AthenaJSONProject {
  static func parse(_ text: TextLines) throws -> [Result<AthenaGroup, AthenaGroupFailure>] {
    let joined = text.lines.map(\.text).joined(separator: "\n")
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(joined.utf8))
    } catch {
      throw EXAFSError.malformed(
        text.location(line: 1), "the file starts like a JSON Athena project but is not valid JSON (\(error.localizedDescription))")
    }
    guard let top = object as? [String: Any] else {
      throw EXAFSError.malformed(text.location(line: 1), "a JSON Athena project must be one object of groups")
    }
    let listed = (top["_____order"] as? [Any])?.compactMap { $0 as? String } ?? []
    let rest = top.keys.filter { !$0.hasPrefix("_____") && !listed.contains($0) && top[$0] is [String: Any] }.sorted()
    var entries: [Result<AthenaGroup, AthenaGroupFailure>] = []
    var totalValues = 0
    for (index, key) in (listed + rest).enumerated() {
      guard let record = top[key] as? [String: Any] else {
        let error = EXAFSError.malformed(text.location(), "group '\(key)' is listed in _____order but not in the file")
        entries.append(.failure(AthenaGroupFailure(label: key, error: error)))
        continue
      }
      let args = (record["args"] as? [String: Any] ?? [:]).mapValues(argText)
      let label = args["label"].flatMap { $0.isEmpty ? nil : $0 } ?? key
      do {
        var arrays: [String: [Double]] = [:]
        var notes: [String] = []
        for name in ["x", "y", "i0", "signal", "stddev"] {
          guard let raw = record[name] else { continue }
          let values: [Double]
          do {
            values = try numbers(raw, name: name, label: label, text: text)
          } catch EXAFSError.malformed(_, let message) where name != "x" && name != "y" {
            notes.append("\(name) dropped: \(message.replacingOccurrences(of: "group '\(label)': ", with: ""))")
            continue
          }
          totalValues += values.count
          arrays[name] = values
        }
        guard totalValues <= InputLimits.maxTotalValues else {
          throw EXAFSError.tooLarge(text.location(), "the project holds more than \(InputLimits.maxTotalValues) numbers")
        }
        var group = try AthenaProject.assemble(
          label: label, oldGroup: key, args: args, arrays: arrays, location: text.location())
        group.notes = notes + group.notes
        entries.append(.success(group))
      } catch let error as EXAFSError {
        if case .tooLarge = error { throw error }
        entries.append(.failure(AthenaGroupFailure(label: label.isEmpty ? "group \(index + 1)" : label, error: error)))
      }
    }
    guard !entries.isEmpty else {
      throw EXAFSError.unusableData(text.location(line: 1), "the Athena project contains no data groups")
    }
    let header = top.keys.filter { $0.hasPrefix("_____header") }.sorted().compactMap { top[$0] as? String }
    return AthenaProject.withBackend(entries, header: header)
  }

  /// An `args` value as text, as the classic layout gives it: lists joined with `, `.
  private static func argText(_ value: Any) -> String {
    switch value {
    case let s as String: return s
    case let n as NSNumber: return n.stringValue
    case let list as [Any]: return list.map(argText).joined(separator: ", ")
    case let dict as [String: Any]: return dict.keys.sorted().map { "\($0), \(argText(dict[$0] ?? ""))" }.joined(separator: ", ")
    default: return ""
    }
  }

  private static func numbers(_ raw: Any, name: String, label: String, text: TextLines) throws -> [Double] {
    guard let list = raw as? [Any] else {
      throw EXAFSError.malformed(text.location(), "group '\(label)': \"\(name)\" must be a list of numbers")
    }
    guard list.count <= InputLimits.maxArrayPoints else {
      throw EXAFSError.tooLarge(text.location(), "group '\(label)': \"\(name)\" has more than \(InputLimits.maxArrayPoints) values")
    }
    var values: [Double] = []
    values.reserveCapacity(list.count)
    for (i, item) in list.enumerated() {
      let value: Double?
      switch item {
      case let s as String: value = Double(s.trimmingCharacters(in: .whitespaces))
      case let n as NSNumber: value = n.doubleValue
      default: value = nil
      }
      guard let value else {
        throw EXAFSError.malformed(
          text.location(), "group '\(label)': expected a number as item \(i + 1) of \"\(name)\" but found '\(item)'")
      }
      values.append(value)
    }
    return values
  }
}
