// Figure: the plot model (a grid of line-plot axes and heat maps), independent of how it is rendered.
import EXAFSKit

/// How a line is stroked.
public enum LineDash: String, Sendable, Codable {
  /// Continuous line.
  case solid
  /// Long dashes.
  case dashed
  /// Dots.
  case dotted
  /// Alternating dashes and dots.
  case dashDot
}

/// One curve y(x), drawn as a polyline; non-finite points break the line.
public struct LineSeries: Sendable {
  /// Abscissa values, in the units of the x axis.
  public var x: [Double]
  /// Ordinate values, in the units of the y axis; pairs beyond the shorter array are ignored.
  public var y: [Double]
  /// Legend text; nil keeps the curve out of the legend.
  public var label: String?
  /// Line colour; nil takes the next colour of `PlotColor.cycle`.
  public var color: PlotColor?
  /// Line width, points.
  public var width: Double
  /// Dash pattern.
  public var dash: LineDash

  /// A curve with `x` and `y` in the units of the axes.
  public init(
    x: [Double], y: [Double], label: String? = nil, color: PlotColor? = nil, width: Double = 1.6,
    dash: LineDash = .solid
  ) {
    self.x = x
    self.y = y
    self.label = label
    self.color = color
    self.width = width
    self.dash = dash
  }
}

/// The visible range of one axis: fixed ends, or the data's extent widened by a margin.
public struct AxisRange: Sendable, Equatable {
  /// Fixed lower end in axis units; nil: from the data.
  public var min: Double?
  /// Fixed upper end in axis units; nil: from the data.
  public var max: Double?
  /// Fraction of the data span added at each automatic end (0.05 = 5 %).
  public var margin: Double

  /// A range with optional fixed ends; automatic ends get `margin` of the data span.
  public init(min: Double? = nil, max: Double? = nil, margin: Double = 0.05) {
    self.min = min
    self.max = max
    self.margin = margin
  }

  /// From the data with a 5 % margin at both ends.
  public static let auto = AxisRange()
  /// Exactly the data's extent, no margin (the usual choice for E, k and R axes).
  public static let data = AxisRange(margin: 0)
  /// Both ends fixed.
  public static func fixed(_ lower: Double, _ upper: Double) -> AxisRange {
    AxisRange(min: lower, max: upper, margin: 0)
  }
}

/// One axis: its label (with units, e.g. "k (Å⁻¹)") and its range.
public struct Axis: Sendable {
  /// Label with units in parentheses; empty for none.
  public var label: String
  /// Visible range.
  public var range: AxisRange

  /// An axis labelled `label` showing `range`.
  public init(_ label: String, range: AxisRange = .auto) {
    self.label = label
    self.range = range
  }
}

/// A straight line across the whole plot at a fixed x (vertical) or y (horizontal), e.g. E0.
public struct MarkerLine: Sendable {
  /// Which way the line runs.
  public enum Orientation: String, Sendable {
    /// Top to bottom at x = value.
    case vertical
    /// Left to right at y = value.
    case horizontal
  }

  /// Position in axis units (x for vertical lines, y for horizontal ones).
  public var value: Double
  /// Direction of the line.
  public var orientation: Orientation
  /// Legend text; nil keeps the line out of the legend.
  public var label: String?
  /// Line colour.
  public var color: PlotColor
  /// Line width, points.
  public var width: Double
  /// Dash pattern.
  public var dash: LineDash

  /// A marker line at `value` (axis units).
  public init(
    _ value: Double, orientation: Orientation = .vertical, label: String? = nil, color: PlotColor = .gray,
    width: Double = 1.2, dash: LineDash = .dashed
  ) {
    self.value = value
    self.orientation = orientation
    self.label = label
    self.color = color
    self.width = width
    self.dash = dash
  }
}

/// A shaded and/or outlined rectangle in data coordinates (FT window, first-shell or hinge window).
public struct RegionMark: Sendable {
  /// Left edge, x-axis units.
  public var xmin: Double
  /// Right edge, x-axis units.
  public var xmax: Double
  /// Bottom edge, y-axis units; nil: the bottom of the plot.
  public var ymin: Double?
  /// Top edge, y-axis units; nil: the top of the plot.
  public var ymax: Double?
  /// Legend text (line plots) or a caption inside the top-left corner (heat maps).
  public var label: String?
  /// Fill colour (use a low alpha); nil for no fill.
  public var fill: PlotColor?
  /// Outline colour; nil for no outline.
  public var stroke: PlotColor?
  /// Outline width, points.
  public var width: Double
  /// Outline dash pattern.
  public var dash: LineDash

  /// A rectangle spanning `xmin...xmax` and, when given, `ymin...ymax` (data units).
  public init(
    xmin: Double, xmax: Double, ymin: Double? = nil, ymax: Double? = nil, label: String? = nil,
    fill: PlotColor? = nil, stroke: PlotColor? = nil, width: Double = 1.5, dash: LineDash = .solid
  ) {
    self.xmin = xmin
    self.xmax = xmax
    self.ymin = ymin
    self.ymax = ymax
    self.label = label
    self.fill = fill
    self.stroke = stroke
    self.width = width
    self.dash = dash
  }
}

/// Free text placed in the plot.
public struct TextAnnotation: Sendable {
  /// Where `x`, `y` are measured.
  public enum Coordinates: String, Sendable {
    /// Axis units.
    case data
    /// Fractions of the plot area: (0, 0) bottom left, (1, 1) top right.
    case fraction
  }
  /// Which point of the text sits at (x, y).
  public enum Anchor: String, Sendable {
    /// The start of the text.
    case left
    /// The middle of the text.
    case center
    /// The end of the text.
    case right
  }

  /// The text (one line).
  public var text: String
  /// Horizontal position.
  public var x: Double
  /// Vertical position (of the text's baseline).
  public var y: Double
  /// How x and y are measured.
  public var coordinates: Coordinates
  /// Horizontal alignment.
  public var anchor: Anchor
  /// Text colour.
  public var color: PlotColor
  /// Font size, points.
  public var fontSize: Double

  /// Text at (x, y).
  public init(
    _ text: String, x: Double, y: Double, coordinates: Coordinates = .data, anchor: Anchor = .left,
    color: PlotColor = .black, fontSize: Double = 12
  ) {
    self.text = text
    self.x = x
    self.y = y
    self.coordinates = coordinates
    self.anchor = anchor
    self.color = color
    self.fontSize = fontSize
  }
}

/// Where the legend box goes.
public enum LegendPosition: String, Sendable {
  /// The corner that hides the fewest data points.
  case best
  /// Inside the top-right corner of the plot.
  case upperRight
  /// Inside the top-left corner.
  case upperLeft
  /// Inside the bottom-right corner.
  case lowerRight
  /// Inside the bottom-left corner.
  case lowerLeft
  /// No legend.
  case hidden
}

/// A line-plot panel: curves, marker lines, regions and text on linear x and y axes.
public struct Axes: Sendable {
  /// Panel title (one line), drawn above the plot; nil for none.
  public var title: String?
  /// Horizontal axis.
  public var xAxis: Axis
  /// Vertical axis.
  public var yAxis: Axis
  /// Curves, drawn in order.
  public var series: [LineSeries]
  /// Straight marker lines, drawn over the curves.
  public var markers: [MarkerLine]
  /// Rectangles, drawn under the curves.
  public var regions: [RegionMark]
  /// Free text, drawn last.
  public var annotations: [TextAnnotation]
  /// Legend placement; the legend lists labelled series, markers and regions.
  public var legend: LegendPosition
  /// Light grid lines at the ticks.
  public var grid: Bool

  /// A panel with horizontal axis `x` and vertical axis `y`.
  public init(
    title: String? = nil, x: Axis, y: Axis, series: [LineSeries] = [], markers: [MarkerLine] = [],
    regions: [RegionMark] = [], annotations: [TextAnnotation] = [], legend: LegendPosition = .best,
    grid: Bool = true
  ) {
    self.title = title
    self.xAxis = x
    self.yAxis = y
    self.series = series
    self.markers = markers
    self.regions = regions
    self.annotations = annotations
    self.legend = legend
    self.grid = grid
  }
}

/// One cell of a figure.
public enum Panel: Sendable {
  /// A line plot.
  case axes(Axes)
  /// A heat map with its colour bar.
  case heatMap(HeatMap)
}

/// A figure: panels on a grid, an optional overall title, and its size.
public struct Figure: Sendable {
  /// Width, points (= pixels of a PNG at `pixelScale` 1).
  public var width: Double
  /// Height, points.
  public var height: Double
  /// Overall title; lines after the first (separated by "\n") are drawn smaller, e.g. parameters.
  public var title: String?
  /// The panels, filled row by row.
  public var panels: [Panel]
  /// Number of panel columns: 1 stacks panels vertically, `panels.count` puts them side by side.
  public var columns: Int
  /// Relative heights of the panel rows; nil or a wrong count: equal heights.
  public var rowWeights: [Double]?
  /// PNG pixels per point (2 for high-density screens); vector formats ignore it.
  public var pixelScale: Double
  /// Base font size for tick labels, points; axis labels are 1.15x, titles 1.25x.
  public var fontSize: Double

  /// A figure of `width` x `height` points holding `panels` in `columns` columns.
  public init(
    width: Double = 900, height: Double = 600, title: String? = nil, panels: [Panel], columns: Int = 1,
    rowWeights: [Double]? = nil, pixelScale: Double = 1, fontSize: Double = 12
  ) {
    self.width = width
    self.height = height
    self.title = title
    self.panels = panels
    self.columns = columns
    self.rowWeights = rowWeights
    self.pixelScale = pixelScale
    self.fontSize = fontSize
  }
}
