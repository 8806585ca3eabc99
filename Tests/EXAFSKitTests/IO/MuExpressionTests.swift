// Tests of the --mu expression language: grammar, column lookup, functions and error positions.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOMuExpressionTests {
  let names = ["Energy", "I0", "It", "IF"]
  let columns: [[Double]] = [[8000, 8010], [100, 200], [50, 20], [3, 4]]

  func values(_ text: String) throws -> [Double] {
    try MuExpression(text).evaluate(names: names, columns: columns).values
  }

  @Test func transmissionAndFluorescence() throws {
    let mu = try values("ln(i0/it)")
    #expect(abs(mu[0] - Foundation.log(2)) < 1e-15)
    #expect(abs(mu[1] - Foundation.log(10)) < 1e-15)
    #expect(try values("IF / I0") == [0.03, 0.02])
    #expect(try values("log(I0/It)") == values("ln(i0/it)"))
  }

  @Test func indicesAndColNames() throws {
    #expect(try values("$2") == [100, 200])
    #expect(try values("col3 + $4") == [53, 24])
  }

  @Test func precedenceAndAssociativity() throws {
    #expect(try values("1 + 2 * 3")[0] == 7)
    #expect(try values("(1 + 2) * 3")[0] == 9)
    #expect(try values("-2^2")[0] == -4)
    #expect(try values("2^3^2")[0] == 512)
    #expect(try values("2**-1")[0] == 0.5)
    #expect(try values("8 / 4 / 2")[0] == 1)
    #expect(try values("1e3 - 2.5E-1")[0] == 999.75)
    #expect(try values("abs(-3) + sqrt(16) + log10(100) + exp(0)")[0] == 10)
  }

  @Test func referencedColumnsAreListed() throws {
    #expect(try MuExpression("ln(I0/it) + $3").referencedColumns == ["i0", "it", "$3"])
  }

  @Test func unknownColumnListsTheColumns() throws {
    let error = #expect(throws: EXAFSError.self) { try values("ln(i0/xyz)") }
    #expect(
      error
        == .invalidParameter(
          "mu", "unknown column 'xyz'; the file has columns: Energy ($1), I0 ($2), It ($3), IF ($4)"))
  }

  @Test func columnIndexOutOfRange() throws {
    let error = #expect(throws: EXAFSError.self) { try values("$9") }
    #expect(error?.description.contains("no column $9") == true)
  }

  @Test(arguments: [
    ("ln(i0/it", "expected ')' but found the end at character 9"),
    ("i0 // it", "expected a number, a column or '(' but found '/' at character 5"),
    ("", "the expression is empty at character 1"),
    ("i0 it", "unexpected 'i' at character 4"),
    ("system(1)", "unknown function 'system'; known: ln, log, log10, exp, sqrt, abs at character 1"),
    ("1.2.3", "malformed number '1.2.3' at character 1"),
    ("i0 + `rm`", "expected a number, a column or '(' but found '`' at character 6"),
  ])
  func syntaxErrorsNameTheCharacter(text: String, message: String) throws {
    let error = #expect(throws: EXAFSError.self) { try MuExpression(text) }
    #expect(error == .invalidParameter("mu", message))
  }

  @Test func deepNestingIsRejected() throws {
    let text = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
    let error = #expect(throws: EXAFSError.self) { try MuExpression(text) }
    #expect(error?.description.contains("nested too deeply") == true)
  }

  @Test func lnOfNonPositiveIsReportedWithItsRow() throws {
    let result = try MuExpression("ln(it - 30)").evaluate(names: names, columns: columns)
    #expect(result.domainProblem == MuExpression.DomainProblem(row: 1, function: "ln", argument: -10))
  }
}
