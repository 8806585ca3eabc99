// The transforms of a path fit (Larch's feffit TransformGroup): k and R windows on the full FFT grid,
// forward chi(k) -> chi(R) and back chi(R) -> chi(q), the noise estimate and the fit residual.
import Foundation

/// A dataset prepared for fitting: data on the 0.05 1/Å grid from k = 0, windows, noise, N_idp.
public struct PreparedDataset: Sendable {
  /// Model entry (for messages) and the data's name and file.
  public var entry: String
  public var name: String
  public var source: String
  public var transform: FitTransformParameters
  /// k grid k_i = i kstep up to the last data point (Larch's `model.k`), 1/Å.
  public var k: [Double]
  /// Data chi(k) interpolated linearly onto `k`.
  public var chi: [Double]
  /// k window over the full FFT grid (nfft points).
  var kwin: [Double]
  /// R window over the full FFT grid (nfft points), used by q-space fits.
  var rwin: [Double]
  /// Noise of chi(k) and of chi(R), one per k-weight.
  public var epsilonK: [Double]
  public var epsilonR: [Double]
  /// Number of independent points 1 + 2 (rmax - rmin)(kmax - kmin)/pi.
  public var nIndependent: Double

  /// Prepares data (k, chi on any increasing grid) for a fit with transform `t`.
  /// - Throws: `.unusableData` when the k range of the fit is outside the data.
  public init(entry: String, name: String, source: String, k dataK: [Double], chi dataChi: [Double], transform t: FitTransformParameters) throws {
    guard let kLast = dataK.last, dataK.count >= 10, kLast.isFinite, dataK.allSatisfy(\.isFinite), dataChi.allSatisfy(\.isFinite) else {
      throw EXAFSError.unusableData(SourceLocation(file: source), "chi(k) has too few points, or values that are not finite, for a fit")
    }
    guard t.kmax <= kLast + 1e-6, t.kmin >= (dataK.first ?? 0) - 1e-6 else {
      throw EXAFSError.unusableData(
        SourceLocation(file: source),
        "\(entry): the fit range k = \(t.kmin) ... \(t.kmax) 1/Å is outside the data (k = \(dataK.first ?? 0) ... \(kLast) 1/Å)")
    }
    self.entry = entry
    self.name = name
    self.source = source
    self.transform = t
    let n = min(Int(1.01 + kLast / t.kstep), t.nfft)
    k = (0..<n).map { Double($0) * t.kstep }
    chi = linearInterpolate(x: dataK, y: dataChi, at: k)
    let kFull = (0..<t.nfft).map { Double($0) * t.kstep }
    kwin = ftWindow(kFull, xmin: t.kmin, xmax: t.kmax, dx: t.dk, dx2: t.dk2 ?? t.dk, kind: t.window)
    let rFull = (0..<t.nfft).map { Double($0) * t.rstep }
    rwin = ftWindow(rFull, xmin: t.rmin, xmax: t.rmax, dx: t.dr, dx2: t.dr, kind: t.rwindow)
    nIndependent = 1 + 2 * (t.rmax - t.rmin) * (t.kmax - t.kmin) / Double.pi
    epsilonK = []
    epsilonR = []
    if let e = t.epsilonK {
      for kw in t.kweight {
        let w = 2 * kw + 1
        let scale = 2 * (Double.pi * w / (t.kstep * (pow(t.kmax, w) - pow(t.kmin, w)))).squareRoot()
        epsilonK.append(e)
        epsilonR.append(e / scale)
      }
    } else {
      (epsilonK, epsilonR) = estimateNoise()
    }
  }

  /// Larch's `FeffitDataSet.estimate_noise` with this dataset's own window: the RMS of Re and Im
  /// chi(R) over 15 ... 30 Å, divided by the mean of the k window over [kmin, kmax], and
  /// eps_k = sqrt(2 pi (2w+1) / (kstep (kmax^(2w+1) - kmin^(2w+1)))) eps_r for each k-weight w.
  func estimateNoise() -> ([Double], [Double]) {
    let t = transform
    let irmin = Int(0.01 + 15 / t.rstep)
    let irmax = Int(min(Double(t.nfft / 2), 1.01 + 30 / t.rstep))
    let kwinAverage = kwin.reduce(0, +) * t.kstep / (t.kmax - t.kmin)
    var epsK: [Double] = [], epsR: [Double] = []
    for kw in t.kweight {
      let (re, im) = forward(chi, kweight: kw)
      var sum = 0.0
      for i in irmin..<irmax { sum += re[i] * re[i] + im[i] * im[i] }
      let er = (sum / Double(2 * (irmax - irmin))).squareRoot() / kwinAverage
      let w = 2 * kw + 1
      let scale = (2 * Double.pi * w / (t.kstep * (pow(t.kmax, w) - pow(t.kmin, w)))).squareRoot()
      epsR.append(max(er, 1e-12))
      epsK.append(max(scale * er, 1e-12))
    }
    return (epsK, epsR)
  }

  /// chi(R) (nfft/2 points) of x on the grid `k`: (kstep/sqrt(pi)) FFT(x k^w window).
  public func forward(_ x: [Double], kweight: Double) -> (re: [Double], im: [Double]) {
    let t = transform
    var input = [Double](repeating: 0, count: 2 * t.nfft)
    for i in 0..<min(x.count, t.nfft) { input[2 * i] = x[i] * kwin[i] * kWeightFactor(Double(i) * t.kstep, kweight) }
    var output = [Double]()
    FFTPlan.shared(count: t.nfft, direction: .forward).execute(&input, into: &output)
    let half = t.nfft / 2
    let scale = t.kstep / Double.pi.squareRoot()
    var re = [Double](repeating: 0, count: half), im = re
    for m in 0..<half {
      re[m] = scale * output[2 * m]
      im[m] = scale * output[2 * m + 1]
    }
    return (re, im)
  }

  /// chi(q) (nfft/2 points) of chi(R): (4 sqrt(pi)/kstep) IFFT(chi(R) R-window), Larch's xftr_fast.
  public func backward(re: [Double], im: [Double]) -> (re: [Double], im: [Double]) {
    let t = transform
    var input = [Double](repeating: 0, count: 2 * t.nfft)
    for m in 0..<min(re.count, t.nfft) {
      input[2 * m] = re[m] * rwin[m]
      input[2 * m + 1] = im[m] * rwin[m]
    }
    var output = [Double]()
    FFTPlan.shared(count: t.nfft, direction: .backward).execute(&input, into: &output)
    let half = t.nfft / 2
    let scale = 4 * Double.pi.squareRoot() / t.kstep / Double(t.nfft)
    var qre = [Double](repeating: 0, count: half), qim = qre
    for j in 0..<half {
      qre[j] = scale * output[2 * j]
      qim[j] = scale * output[2 * j + 1]
    }
    return (qre, qim)
  }

  /// Number of residual values this dataset contributes.
  public var residualCount: Int {
    let t = transform
    switch t.fitSpace {
    case .r:
      let (lo, hi) = rIndices
      return 2 * (hi - lo) * t.kweight.count
    case .k, .q:
      let (lo, hi) = kIndices
      return (hi - lo) * t.kweight.count
    }
  }

  var rIndices: (Int, Int) {
    let t = transform
    return (Int(max(0, 0.01 + t.rmin / t.rstep)), Int(min(Double(t.nfft / 2), 0.01 + t.rmax / t.rstep)))
  }

  var kIndices: (Int, Int) {
    let t = transform
    return (Int(max(0, 0.01 + t.kmin / t.kstep)), Int(min(Double(t.nfft / 2), 0.01 + t.kmax / t.kstep)))
  }

  /// Residual of Larch's `FeffitDataSet._residual` for model chi(k) on `k` (nil: the data alone):
  /// r space: Re and Im of chi(R) of (data - model) / eps_r, interleaved, over [rmin, rmax);
  /// k space: (data - model) k^w / eps_k over [kmin, kmax); q space: Re chi(q) / eps_r over [kmin, kmax);
  /// one block per k-weight.
  public func residual(model: [Double]?, into out: inout [Double]) {
    let t = transform
    var diff = chi
    if let model { for i in 0..<diff.count { diff[i] -= model[i] } }
    for (w, kw) in t.kweight.enumerated() {
      switch t.fitSpace {
      case .k:
        let (lo, hi) = kIndices
        for i in lo..<hi {
          out.append(i < diff.count ? diff[i] / epsilonK[w] * kWeightFactor(k[i], kw) : 0)
        }
      case .r:
        let (re, im) = forward(diff, kweight: kw)
        let (lo, hi) = rIndices
        for i in lo..<hi {
          out.append(re[i] / epsilonR[w])
          out.append(im[i] / epsilonR[w])
        }
      case .q:
        let (re, im) = forward(diff, kweight: kw)
        let (qre, _) = backward(re: re, im: im)
        let (lo, hi) = kIndices
        for i in lo..<hi { out.append(qre[i] / epsilonR[w]) }
      }
    }
  }
}
