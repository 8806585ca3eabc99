// `exafs parameters`: the processing parameters of the parameter table, for people or as Markdown.
import ArgumentParser
import EXAFSKit

struct Parameters: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the processing parameters: Larch name, option, Athena name, unit, default, range.")

  @Flag(help: "Print the Markdown table of Docs/pipeline.md.")
  var markdown = false

  func run() {
    if markdown {
      print(ProcessingParameter.markdownTable)
      return
    }
    for stage in ProcessingStage.allCases {
      print("\(stage.rawValue):")
      for p in ProcessingParameter.all where p.stage == stage {
        let athena = p.athenaName.map { ", Athena \($0)" } ?? ""
        print("  \(p.flag) (\(p.name)\(athena)): \(p.helpWithDefault) Allowed: \(p.rangeText).")
      }
    }
  }
}
