// PlotColor and Colormap: line colours and the colour scales of heat maps (viridis, blue-white-red).
import EXAFSKit

/// An sRGB colour with opacity; every component is in 0...1.
public struct PlotColor: Sendable, Hashable {
  /// Red, 0...1.
  public var red: Double
  /// Green, 0...1.
  public var green: Double
  /// Blue, 0...1.
  public var blue: Double
  /// Opacity, 0 (transparent) ... 1 (opaque).
  public var alpha: Double

  /// A colour from components in 0...1 (values outside are clamped when drawn).
  public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
    self.red = red
    self.green = green
    self.blue = blue
    self.alpha = alpha
  }

  /// A colour from a 24-bit `0xRRGGBB` value, as in CSS.
  public init(hex: UInt32, alpha: Double = 1) {
    self.init(
      red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
      blue: Double(hex & 0xFF) / 255, alpha: alpha)
  }

  /// The same colour with opacity `alpha`.
  public func withAlpha(_ alpha: Double) -> PlotColor {
    PlotColor(red: red, green: green, blue: blue, alpha: alpha)
  }

  /// Linear interpolation between `a` (t = 0) and `b` (t = 1), component by component.
  static func mix(_ a: PlotColor, _ b: PlotColor, _ t: Double) -> PlotColor {
    PlotColor(
      red: a.red + (b.red - a.red) * t, green: a.green + (b.green - a.green) * t,
      blue: a.blue + (b.blue - a.blue) * t, alpha: a.alpha + (b.alpha - a.alpha) * t)
  }

  /// Black.
  public static let black = PlotColor(red: 0, green: 0, blue: 0)
  /// White.
  public static let white = PlotColor(red: 1, green: 1, blue: 1)
  /// Mid grey, for secondary lines.
  public static let gray = PlotColor(red: 0.45, green: 0.45, blue: 0.45)
  /// Very light grey, for grid lines.
  public static let gridGray = PlotColor(red: 0.9, green: 0.9, blue: 0.9)

  /// Ten distinguishable line colours (the "tab10" cycle of matplotlib), used in order for series
  /// without an explicit colour.
  public static let cycle: [PlotColor] = [
    0x1F77B4 as UInt32, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
  ].map { PlotColor(hex: $0) }
}

/// A colour scale mapping a value in 0...1 to a colour.
public enum Colormap: String, Sendable, Codable, CaseIterable {
  /// Perceptually uniform dark purple -> blue -> green -> yellow (matplotlib's viridis); for
  /// magnitudes such as |W(k, R)|.
  case viridis
  /// Blue (low) -> white (middle) -> red (high) (ColorBrewer RdBu, reversed); for signed
  /// differences, used with a range symmetric about zero so that white means "no difference".
  case diverging

  /// The colour at `t` in 0...1 (clamped); NaN gives a neutral grey.
  public func color(at t: Double) -> PlotColor {
    guard t.isFinite else { return PlotColor(red: 0.6, green: 0.6, blue: 0.6) }
    let table: [(Double, Double, Double)]
    let positions: [Double]
    switch self {
    case .viridis: (table, positions) = (viridisControlPoints, viridisPositions)
    case .diverging: (table, positions) = (divergingControlPoints, divergingPositions)
    }
    let u = min(max(t, 0), 1)
    var i = 0
    while i < table.count - 2, positions[i + 1] <= u { i += 1 }
    let f = min(max((u - positions[i]) / (positions[i + 1] - positions[i]), 0), 1)
    let (a, b) = (table[i], table[i + 1])
    return PlotColor(red: a.0 + (b.0 - a.0) * f, green: a.1 + (b.1 - a.1) * f, blue: a.2 + (b.2 - a.2) * f)
  }

  /// Whether the scale is meant for signed data with a range symmetric about zero.
  public var isDiverging: Bool { self == .diverging }
}

/// Viridis (van der Walt, Smith and Firing, matplotlib 2.0, CC0): every 8th entry of the published
/// 256-entry table (indices 0, 8, ..., 248) and the last one (255), at t = index / 255.
let viridisControlPoints: [(Double, Double, Double)] = [
  (0.267004, 0.004874, 0.329415), (0.277018, 0.050344, 0.375715), (0.282327, 0.094955, 0.417331),
  (0.282884, 0.135920, 0.453427), (0.278826, 0.175490, 0.483397), (0.270595, 0.214069, 0.507052),
  (0.258965, 0.251537, 0.524736), (0.244972, 0.287675, 0.537260), (0.229739, 0.322361, 0.545706),
  (0.214298, 0.355619, 0.551184), (0.199430, 0.387607, 0.554642), (0.185556, 0.418570, 0.556753),
  (0.172719, 0.448791, 0.557885), (0.160665, 0.478540, 0.558115), (0.149039, 0.508051, 0.557250),
  (0.137770, 0.537492, 0.554906), (0.127568, 0.566949, 0.550556), (0.120565, 0.596422, 0.543611),
  (0.120638, 0.625828, 0.533488), (0.132268, 0.655014, 0.519661), (0.157851, 0.683765, 0.501686),
  (0.196571, 0.711827, 0.479221), (0.246070, 0.738910, 0.452024), (0.304148, 0.764704, 0.419943),
  (0.369214, 0.788888, 0.382914), (0.440137, 0.811138, 0.340967), (0.515992, 0.831158, 0.294279),
  (0.595839, 0.848717, 0.243329), (0.678489, 0.863742, 0.189503), (0.762373, 0.876424, 0.137064),
  (0.845561, 0.887322, 0.099702), (0.926106, 0.897330, 0.104071), (0.993248, 0.906157, 0.143936),
]

/// Positions in 0...1 of `viridisControlPoints`.
let viridisPositions: [Double] = (0..<33).map { Double(min(8 * $0, 255)) / 255 }

/// Positions in 0...1 of `divergingControlPoints` (evenly spaced).
let divergingPositions: [Double] = (0..<11).map { Double($0) / 10 }

/// ColorBrewer RdBu with 11 classes (Brewer, colorbrewer2.org), reversed so that blue is low:
/// #053061 ... #f7f7f7 ... #67001f.
let divergingControlPoints: [(Double, Double, Double)] = [
  0x053061 as UInt32, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B,
  0x67001F,
].map { hex in
  let c = PlotColor(hex: hex)
  return (c.red, c.green, c.blue)
}
