// `exafs info FILE`: what a file holds (format, columns, groups, metadata).
import ArgumentParser
import EXAFSKit
import Foundation

struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List a file's format, columns, Athena groups and metadata.")

  @Argument(help: "Input files.") var inputs: [String]

  func run() throws {
    var failed = 0
    for path in inputs {
      do {
        print(try SpectrumReader.info(path: path).description)
      } catch let error as EXAFSError {
        printError("error: \(error.description)")
        failed += 1
      }
    }
    if failed > 0 { throw ExitCode.failure }
  }
}
