// Runs the built `exafs` executable and captures its exit status and output.
import Foundation

/// Result of one run of the command-line tool.
struct CLIRun {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// The repository root (two levels above this file's folder).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// The `exafs` binary next to the test bundle (SwiftPM builds it for the test target).
func exafsBinary() -> URL {
  let candidates = [
    Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("exafs"),
    Bundle.main.bundleURL.appendingPathComponent("exafs"),
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("exafs"),
    repositoryRoot.appendingPathComponent(".build/debug/exafs"),
  ]
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
}

/// Runs `exafs ARGS` in the repository root.
func runExafs(_ args: [String]) throws -> CLIRun {
  let process = Process()
  process.executableURL = exafsBinary()
  process.arguments = args
  process.currentDirectoryURL = repositoryRoot
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return CLIRun(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh empty temporary folder.
func temporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("exafs-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Names of the files in a folder, sorted (hidden files included, to catch leftover temporaries).
func listing(_ url: URL) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}

/// Numeric rows of a column file written by exafs (comment lines skipped) and its column names.
func readColumns(_ url: URL) throws -> (names: [String], rows: [[Double]]) {
  let text = try String(contentsOf: url, encoding: .utf8)
  var names: [String] = []
  var rows: [[Double]] = []
  for line in text.split(separator: "\n") {
    if line.hasPrefix("#") {
      names = line.dropFirst().split(separator: " ").map(String.init)
    } else {
      rows.append(line.split(separator: " ").compactMap { Double($0) })
    }
  }
  return (names, rows)
}
