// The exported wavelet grids have the shape and axes of the map (gnuplot nonuniform matrix, xyz).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct WaveletGridTests {
  func sineMap() throws -> WaveletMap {
    let k = (0..<241).map { Double($0) * 0.05 }
    let chi = k.map { $0 == 0 ? 0 : sin(2 * 2.5 * $0) / ($0 * $0) }
    var p = WaveletParameters()
    p.rmax = 5
    return try WaveletTransform.map(k: k, chi: chi, parameters: p)
  }

  @Test func matrixGridHasTheMapsShapeAndAxes() throws {
    let map = try sineMap()
    let text = map.gridText(format: .matrix, part: .mag, title: "test")
    let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ").compactMap { Double($0) } }
    #expect(rows.count == map.r.count + 1)
    #expect(rows[0].count == map.k.count + 1)
    #expect(rows[0][0] == Double(map.k.count))
    for j in 1..<map.k.count { #expect(abs(rows[0][j + 1] - rows[0][j] - 0.05) < 1e-9) }
    let magnitude = map.magnitude
    for i in 0..<map.r.count {
      #expect(rows[i + 1].count == map.k.count + 1)
      #expect(abs(rows[i + 1][0] - map.r[i]) < 1e-7)
      // 6 significant digits.
      let j = map.k.count / 2
      #expect(abs(rows[i + 1][j + 1] - magnitude[i * map.k.count + j]) <= 1e-5 * max(1e-12, magnitude[i * map.k.count + j]) + 1e-300)
    }
    #expect(text.contains("# wavelet = morlet, eta = 10.0, sigma = 1.0"))
  }

  @Test func xyzGridHasOneBlockPerR() throws {
    let map = try sineMap()
    let text = map.gridText(format: .xyz, part: .re, title: "test")
    let body = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
    let triplets = body.filter { !$0.isEmpty }.map { $0.split(separator: " ").compactMap { Double($0) } }
    #expect(triplets.count == map.k.count * map.r.count)
    #expect(triplets.allSatisfy { $0.count == 3 })
    #expect(body.filter(\.isEmpty).count >= map.r.count)
    // Block i holds R_i; within a block k runs over the grid; the value is Re W.
    let sample = triplets[3 * map.k.count + 7]
    #expect(abs(sample[0] - map.k[7]) < 1e-9 && abs(sample[1] - map.r[3]) < 1e-7)
    #expect(abs(sample[2] - map.re[3 * map.k.count + 7]) <= 1e-5 * abs(map.re[3 * map.k.count + 7]) + 1e-300)
  }
}
