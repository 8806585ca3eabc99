// Checks on output paths made by every subcommand before any work: never a device, FIFO or folder, never an input.
import ArgumentParser
import EXAFSKit
import Foundation

/// Refuses (exit 64) output files that exist and are not regular files or that are one of the
/// inputs (same device and inode, also through symlinks and hard links), and output folders that
/// exist and are not folders; then registers the inputs so that no writer of this run replaces one.
///
/// - Parameters:
///   - files: (option, path) of every output file given; nil paths are skipped.
///   - folders: (option, path) of output folders.
///   - inputs: the input arguments (a `FILE#LABEL` argument protects FILE).
func checkOutputs(files: [(String, String?)] = [], folders: [(String, String)] = [], inputs: [String]) throws {
  let inputPaths = inputs.flatMap { argument -> [String] in
    guard !FileManager.default.fileExists(atPath: argument), let hash = argument.lastIndex(of: "#") else { return [argument] }
    return [argument, String(argument[..<hash])]
  }
  do {
    for (option, path) in folders { try OutputChecks.checkOutputFolder(path, option: option) }
    for case (let option, let path?) in files {
      try OutputChecks.checkOutputFile(path, option: option, inputs: inputPaths)
    }
  } catch let e as EXAFSError {
    throw ValidationError(e.commandLineDescription)
  }
  OutputChecks.protectInputs(inputPaths)
}
