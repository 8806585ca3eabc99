// Alignment: the energy shift that lines a scan's reference channel up with a standard's (Larch's energy_align).
import Foundation

/// How to align scans, with the defaults of Larch's `energy_align`.
public struct AlignmentParameters: Sendable, Codable, Equatable {
  /// Start of the fit window, eV relative to the standard's E0 (Larch: -15).
  public var emin: Double = -15
  /// End of the fit window, eV relative to the standard's E0 (Larch: +35).
  public var emax: Double = 35
  /// E0 of the standard, eV; nil: `findE0` of the standard's reference channel.
  public var e0: Double?
  /// Largest |shift| searched, eV (Larch bounds its fit to +-50 eV).
  public var maxShift: Double = 50
  /// Passes of three-point smoothing applied to both derivatives before the fit (0: none, as
  /// Larch; Athena's "smoothed derivative" uses 3).
  public var smoothingPasses: Int = 0

  public init() {}

  /// Throws `.invalidParameter` for a window or search range that cannot be used.
  public func validated() throws -> AlignmentParameters {
    guard emin.isFinite, emax.isFinite, emin < emax else {
      throw EXAFSError.invalidParameter(
        "align_emin", "the alignment window must have emin < emax (eV relative to E0), got \(emin) to \(emax)")
    }
    guard maxShift.isFinite, maxShift > 0 else {
      throw EXAFSError.invalidParameter("max_shift", "the largest shift must be a positive number of eV, got \(maxShift)")
    }
    guard (0...20).contains(smoothingPasses) else {
      throw EXAFSError.invalidParameter("smoothingPasses", "use 0 to 20 smoothing passes, got \(smoothingPasses)")
    }
    return self
  }
}

/// The result of aligning one scan to the standard.
public struct EnergyAlignment: Sendable, Codable, Equatable {
  /// Energy shift added to the scan's energies, eV (Larch's `eshift`, Athena's "Energy shift"):
  /// the aligned scan is mu(E - eshift) of the measured one.
  public var eshift: Double
  /// Amplitude factor on the scan's derivative that best matches the standard's (Larch's `scale`).
  public var scale: Double
  /// E0 of the standard that centres the fit window, eV.
  public var e0: Double
  /// RMS of the derivative misfit at the best shift divided by the RMS of the standard's
  /// derivative over the window: 0 for a perfect match, near 1 for no match.
  public var relativeMisfit: Double

  /// Creates the value from its parts (memberwise).
  public init(eshift: Double, scale: Double, e0: Double, relativeMisfit: Double) {
    self.eshift = eshift
    self.scale = scale
    self.e0 = e0
    self.relativeMisfit = relativeMisfit
  }
}

/// Scans after alignment, and how each was moved.
public struct AlignedScans: Sendable, Equatable {
  /// The scans with their energies shifted (`shifted(by:)`); the first (the standard) is unchanged.
  public var scans: [XASSpectrum]
  /// One alignment per scan; the first has `eshift` 0.
  public var alignments: [EnergyAlignment]

  /// Creates the value from its parts (memberwise).
  public init(scans: [XASSpectrum], alignments: [EnergyAlignment]) {
    self.scans = scans
    self.alignments = alignments
  }
}

/// Finds the energy shift that makes `channel` (a scan's reference channel, or mu itself) match
/// `standard`, as Larch's `energy_align` and Athena's "Auto align".
///
/// The misfit is computed on the derivatives d mu / dE (`numpy.gradient(mu) / numpy.gradient(E)`)
/// over the standard's energies in [E0 + emin, E0 + emax]: for a trial shift s the scan's
/// derivative is evaluated at E - s (not-a-knot cubic spline, held constant beyond the data), scaled
/// by the least-squares amplitude a >= 0, and S(s) = sum (a d_scan(E - s) - d_std(E))^2. S is scanned
/// on a 0.1 eV grid over +-maxShift and the best point refined by golden-section search to 1e-5 eV.
/// The coarse scan finds the global minimum, so no starting guess is needed.
///
/// - Throws: `.invalidParameter` for bad parameters; `.unusableData` (naming the file) for a
///   spectrum of fewer than 10 points, when fewer than 5 points of the standard lie in the window,
///   or when the standard's derivative there is flat.
public func energyAlignment(
  of channel: XASSpectrum, to standard: XASSpectrum, parameters: AlignmentParameters = .init()
) throws -> EnergyAlignment {
  let p = try parameters.validated()
  for scan in [channel, standard] where scan.energy.count < 10 || scan.energy.count != scan.mu.count {
    throw EXAFSError.unusableData(
      SourceLocation(file: scan.source), "'\(scan.name)' has too few points (\(scan.energy.count)) to align")
  }
  let e0 = p.e0 ?? findE0(energy: standard.energy, mu: standard.mu)
  let window = standard.energy.indices.filter {
    standard.energy[$0] >= e0 + p.emin && standard.energy[$0] <= e0 + p.emax
  }
  let location = SourceLocation(file: standard.source)
  guard window.count >= 5 else {
    throw EXAFSError.unusableData(
      location,
      "only \(window.count) points of '\(standard.name)' lie in the alignment window "
        + "\(ScanText.number(e0 + p.emin)) to \(ScanText.number(e0 + p.emax)) eV (E0 = \(ScanText.number(e0)) eV); "
        + "widen it with align_emin/align_emax")
  }
  let derivative = smoothed(gradientRatio(standard.mu, standard.energy), p.smoothingPasses)
  let target = window.map { derivative[$0] }
  let energies = window.map { standard.energy[$0] }
  let targetNorm = target.reduce(0) { $0 + $1 * $1 }
  guard targetNorm > 0, targetNorm.isFinite else {
    throw EXAFSError.unusableData(
      location, "the derivative of '\(standard.name)' is flat or not finite in the alignment window")
  }
  let misfit = DerivativeMisfit(
    spline: NotAKnotSpline(x: channel.energy, y: smoothed(gradientRatio(channel.mu, channel.energy), p.smoothingPasses)),
    energies: energies, target: target)
  let step = 0.1
  let count = Int((p.maxShift / step).rounded(.down))
  var best = (shift: 0.0, value: misfit(0).value)
  for j in -count...count {
    let s = Double(j) * step
    let value = misfit(s).value
    if value < best.value { best = (s, value) }
  }
  let shift = goldenSectionMinimum(
    lo: max(-p.maxShift, best.shift - step), hi: min(p.maxShift, best.shift + step), tolerance: 1e-5
  ) { misfit($0).value }
  let result = misfit(shift)
  // Larch's eshift is added to the scan's energies; the scan matches at E - shift, so eshift = shift.
  return EnergyAlignment(
    eshift: shift, scale: result.scale, e0: e0, relativeMisfit: (result.value / targetNorm).squareRoot())
}

/// Aligns every scan to the first: the shift is found on `references[i]` (the reference channel read
/// from the same file as `scans[i]`, on the same energies) or on the scans themselves when
/// `references` is nil, and applied to `scans[i]`.
///
/// - Throws: `.invalidParameter` when `references` does not hold one spectrum per scan; errors of
///   `energyAlignment`.
public func alignScans(
  _ scans: [XASSpectrum], references: [XASSpectrum]? = nil, parameters: AlignmentParameters = .init()
) throws -> AlignedScans {
  let channels = references ?? scans
  guard channels.count == scans.count else {
    throw EXAFSError.invalidParameter(
      "ref", "\(channels.count) reference channels for \(scans.count) scans; give one per scan")
  }
  guard let standard = channels.first else { return AlignedScans(scans: [], alignments: []) }
  var p = try parameters.validated()
  if p.e0 == nil { p.e0 = findE0(energy: standard.energy, mu: standard.mu) }
  var aligned = [scans[0]]
  var alignments = [EnergyAlignment(eshift: 0, scale: 1, e0: p.e0 ?? 0, relativeMisfit: 0)]
  for i in scans.indices.dropFirst() {
    let alignment = try energyAlignment(of: channels[i], to: standard, parameters: p)
    alignments.append(alignment)
    aligned.append(scans[i].shifted(by: alignment.eshift))
  }
  return AlignedScans(scans: aligned, alignments: alignments)
}

/// S(s) of `energyAlignment` with its best amplitude, for one trial shift.
private struct DerivativeMisfit {
  let spline: NotAKnotSpline
  let energies: [Double]
  let target: [Double]

  func callAsFunction(_ shift: Double) -> (value: Double, scale: Double) {
    guard let lo = spline.x.first, let hi = spline.x.last else { return (.infinity, 1) }
    var vv = 0.0, vt = 0.0, tt = 0.0
    var values = [Double](repeating: 0, count: energies.count)
    for (i, e) in energies.enumerated() {
      let v = spline(min(max(e - shift, lo), hi))
      values[i] = v
      vv += v * v
      vt += v * target[i]
      tt += target[i] * target[i]
    }
    // Best amplitude a = <v,t>/<v,v>, kept in Larch's bounds [0, 50]; S = |a v - t|^2.
    let scale = vv > 0 ? min(50, max(0, vt / vv)) : 0
    let value = scale * scale * vv - 2 * scale * vt + tt
    return (value.isFinite ? max(0, value) : .infinity, scale)
  }
}

/// `passes` applications of the three-point smoothing (y[i-1] + 2 y[i] + y[i+1]) / 4, ends kept.
private func smoothed(_ y: [Double], _ passes: Int) -> [Double] {
  guard passes > 0, y.count >= 3 else { return y }
  var out = y
  for _ in 0..<passes {
    let previous = out
    for i in 1..<(y.count - 1) { out[i] = (previous[i - 1] + 2 * previous[i] + previous[i + 1]) / 4 }
  }
  return out
}

/// Minimum of a unimodal `f` on [lo, hi] by golden-section search, to within `tolerance`.
func goldenSectionMinimum(lo: Double, hi: Double, tolerance: Double, _ f: (Double) -> Double) -> Double {
  let ratio = (5.0.squareRoot() - 1) / 2
  var a = lo, b = hi
  var c = b - ratio * (b - a), d = a + ratio * (b - a)
  var fc = f(c), fd = f(d)
  while b - a > tolerance {
    if fc < fd {
      b = d
      d = c
      fd = fc
      c = b - ratio * (b - a)
      fc = f(c)
    } else {
      a = c
      c = d
      fc = fd
      d = a + ratio * (b - a)
      fd = f(d)
    }
  }
  return (a + b) / 2
}
