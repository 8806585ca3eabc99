// HeatMap: a 2-D grid z(y, x) drawn as a colour image with a colour bar (wavelet maps, differences).
import EXAFSKit

/// A heat-map panel: values on a grid, shown through a colour scale, with a colour bar.
///
/// `z[i][j]` is the value at row `y[i]` and column `x[j]` (for a wavelet map: `z[iR][ik]` at R and
/// k). Rows are drawn bottom (first) to top (last). Each cell is centred on its grid point;
/// non-uniform grids are drawn by showing, at each pixel, the nearest grid point. Non-finite
/// values, and cells missing from short rows, are drawn grey.
public struct HeatMap: Sendable {
  /// Column coordinates (e.g. k, 1/Å), increasing.
  public var x: [Double]
  /// Row coordinates (e.g. R, Å), increasing.
  public var y: [Double]
  /// Values, `z[row][column]`.
  public var z: [[Double]]
  /// Panel title (one line); nil for none.
  public var title: String?
  /// Horizontal axis; the automatic range is the grid's extent.
  public var xAxis: Axis
  /// Vertical axis; the automatic range is the grid's extent.
  public var yAxis: Axis
  /// Label of the colour bar, with units.
  public var colorbarLabel: String
  /// Colour scale.
  public var colormap: Colormap
  /// Values mapped to the ends of the colour scale; nil: the data's finite range (symmetric
  /// about zero for a diverging map). Set the same range on several maps to compare them.
  public var colorRange: ClosedRange<Double>?
  /// Rectangles outlined over the image (e.g. the hinge window), labels written inside.
  public var outlines: [RegionMark]
  /// Free text over the image.
  public var annotations: [TextAnnotation]
  /// Interpolate between cells (bilinear) instead of showing them as blocks.
  public var smooth: Bool

  /// A heat map of `z[row][column]` on the grid `x` (columns) by `y` (rows).
  public init(
    x: [Double], y: [Double], z: [[Double]], title: String? = nil, xAxis: Axis, yAxis: Axis,
    colorbarLabel: String, colormap: Colormap = .viridis, colorRange: ClosedRange<Double>? = nil,
    outlines: [RegionMark] = [], annotations: [TextAnnotation] = [], smooth: Bool = true
  ) {
    self.x = x
    self.y = y
    self.z = z
    self.title = title
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.colorbarLabel = colorbarLabel
    self.colormap = colormap
    self.colorRange = colorRange
    self.outlines = outlines
    self.annotations = annotations
    self.smooth = smooth
  }

  /// The values mapped to the two ends of the colour scale: `colorRange` if set, otherwise the
  /// finite extent of `z` (for a diverging map, -m...m with m the largest |z|). A degenerate
  /// range is widened so that it has a positive width.
  public var resolvedColorRange: ClosedRange<Double> {
    if let colorRange, colorRange.lowerBound.isFinite, colorRange.upperBound.isFinite,
      colorRange.upperBound > colorRange.lowerBound
    {
      return colorRange
    }
    let (lo, hi) = HeatMap.finiteExtent(z)
    if colormap.isDiverging {
      let m = Swift.max(abs(lo), abs(hi))
      return m > 0 ? -m...m : -1...1
    }
    if hi > lo { return lo...hi }
    return (lo - 0.5)...(lo + 0.5)
  }

  /// Smallest and largest finite value of `z`; (0, 0) when there is none.
  static func finiteExtent(_ z: [[Double]]) -> (Double, Double) {
    var lo = Double.infinity
    var hi = -Double.infinity
    for row in z {
      for v in row where v.isFinite {
        lo = Swift.min(lo, v)
        hi = Swift.max(hi, v)
      }
    }
    return lo <= hi ? (lo, hi) : (0, 0)
  }

  /// Where the image spans along a grid: the first and last cell edges, half a step beyond
  /// the first and last grid points; (0, 1) for an empty grid.
  static func cellExtent(_ grid: [Double]) -> (Double, Double) {
    let finite = grid.filter(\.isFinite)
    guard let first = finite.first, let last = finite.last else { return (0, 1) }
    guard finite.count >= 2 else { return (first - 0.5, first + 0.5) }
    let lowStep = (finite[1] - first) / 2
    let highStep = (last - finite[finite.count - 2]) / 2
    return (first - lowStep, last + highStep)
  }

  /// For `count` equal pixels spanning `extent`, the index of the grid point nearest to each
  /// pixel's centre (the grid must be increasing; -1 for an empty grid).
  static func nearestIndices(_ grid: [Double], extent: (Double, Double), count: Int) -> [Int] {
    guard !grid.isEmpty, count > 0 else { return [Int](repeating: -1, count: Swift.max(count, 0)) }
    let width = (extent.1 - extent.0) / Double(count)
    var result = [Int](repeating: 0, count: count)
    var j = 0
    for p in 0..<count {
      let centre = extent.0 + (Double(p) + 0.5) * width
      while j + 1 < grid.count, abs(grid[j + 1] - centre) <= abs(grid[j] - centre) { j += 1 }
      result[p] = j
    }
    return result
  }
}
