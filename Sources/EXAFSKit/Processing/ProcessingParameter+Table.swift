// The parameter table: every processing parameter of normalization, AUTOBK and the Fourier
// transform, in pipeline order. Adding a parameter means adding one entry here.
import Foundation

extension ProcessingParameter {
  /// Every processing parameter, in pipeline order. Names and defaults are Larch's (xraylarch
  /// 2026.3.1 `pre_edge`, `autobk`, `xftf`); Athena names and encodings are Demeter's (its
  /// `bkg_*`/`fft_*` attributes, see `Docs/formats.md`).
  public static let all: [ProcessingParameter] = [
    // Energy calibration, before everything.
    .real(
      "eshift", .normalization, athena: nil, unit: "eV", default: "0", range: -1000...1000,
      help: "Energy shift added to every energy before anything else (calibration; Athena's bkg_eshift is applied by the reader)",
      \.eshift),
    // Normalization (pre_edge).
    .optionalReal(
      "e0", .normalization, athena: "bkg_e0", .edgeEnergy,
      demeter: "templates/process/larch/normalize.tmpl (pre_edge call): `e0=` unless bkg_e0 < -10000; Data/Mu.pm normalize stores the E0 used", unit: "eV",
      default: "maximum of the smoothed derivative", range: 0...1e6, open: (true, false),
      help: "Edge energy E0", \.normalization.e0),
    .optionalReal(
      "pre1", .normalization, athena: "bkg_pre1", demeter: "templates/process/larch/normalize.tmpl (pre_edge call)", unit: "eV", default: "E(2nd point) - E0, rounded to 5 eV",
      range: -1e5...1e5, help: "Start of the pre-edge line fit, relative to E0", \.normalization.pre1),
    .optionalReal(
      "pre2", .normalization, athena: "bkg_pre2", demeter: "templates/process/larch/normalize.tmpl (pre_edge call)", unit: "eV", default: "pre1/2", range: -1e5...1e5,
      help: "End of the pre-edge line fit, relative to E0", \.normalization.pre2),
    .optionalReal(
      "norm1", .normalization, athena: "bkg_nor1", demeter: "templates/process/larch/normalize.tmpl (pre_edge call)", unit: "eV", default: "min(25, 5 round(norm2/15))",
      range: -1e5...1e5, help: "Start of the post-edge fit, relative to E0", \.normalization.norm1),
    .optionalReal(
      "norm2", .normalization, athena: "bkg_nor2", demeter: "templates/process/larch/normalize.tmpl (pre_edge call)", unit: "eV", default: "end of data - E0, rounded to 5 eV",
      range: -1e5...1e5, help: "End of the post-edge fit, relative to E0", \.normalization.norm2),
    .integer(
      "nnorm", .normalization, athena: "bkg_nnorm", .polynomialTerms,
      demeter: "templates/process/larch/normalize.tmpl (pre_edge call): `nnorm={$D->bkg_nnorm-1}`; ifeffit/normalize.tmpl: `norm_order={$D->bkg_nnorm}`",
      default: "2 if norm2 - norm1 >= 300 eV, 1 if >= 30 eV, else 0", range: 0...5,
      help: "Degree of the post-edge polynomial (Athena stores the number of terms, degree + 1)",
      get: { $0.normalization.nnorm }, set: { $0.normalization.nnorm = $1 }),
    .optionalReal(
      "step", .normalization, athena: "bkg_step", .fixedStep(flag: "bkg_fixstep"),
      demeter: "Data/Mu.pm normalize: `$fixed = ($self->bkg_fixstep) ? $self->bkg_step : 0`; ifeffit/normalize.tmpl `edge_step=`",
      unit: "", default: "post-edge minus pre-edge at E0",
      range: 0...1e9, open: (true, false), help: "Edge step to use instead of the fitted one, mu units",
      \.normalization.step),
    .choice(
      "pre_edge_convention", .normalization, words: ["larch", "ifeffit"], default: "larch",
      help: "Whose choice of fit points to follow: Larch's pre_edge, or IFEFFIT's (Athena before Larch)",
      get: { $0.normalization.convention?.rawValue },
      set: { $0.normalization.convention = $1.flatMap(NormalizationConvention.init(rawValue:)) }),
    .choice(
      "e0_method", .normalization, words: E0MethodChoice.allCases.map(\.rawValue), default: "derivative",
      help: "How E0 is found when e0 is not given (Athena's E0 algorithms; tabulated: the nearest Elam edge energy)",
      get: { $0.e0Method?.rawValue },
      set: { $0.e0Method = $1.flatMap(E0MethodChoice.init(rawValue:)) }),
    // Background (autobk).
    .real(
      "rbkg", .background, athena: "bkg_rbkg", demeter: "templates/process/larch/autobk.tmpl (autobk call)", unit: "Å", default: "1", range: 0...10, open: (true, true),
      help: "AUTOBK rbkg: chi(R) below it is minimized", \.autobk.rbkg),
    .real(
      "bkg_kweight", .background, athena: "bkg_kw", demeter: "templates/process/larch/autobk.tmpl (autobk call)", unit: "", default: "1", range: -10...10,
      help: "k-weight of the AUTOBK fit", \.autobk.kweight),
    .real(
      "bkg_kmin", .background, athena: "bkg_spl1", .splineK(energyName: "bkg_spl1e"),
      demeter: "templates/process/larch/autobk.tmpl (autobk call): `kmin={$D->bkg_spl1}`; Data/Mu.pm spline_range keeps bkg_spl1e = k2e(bkg_spl1)", unit: "1/Å", default: "0", range: 0...100,
      help: "Start of the AUTOBK k range", \.autobk.kmin),
    .optionalReal(
      "bkg_kmax", .background, athena: "bkg_spl2", .splineK(energyName: "bkg_spl2e"),
      demeter: "templates/process/larch/autobk.tmpl (autobk call): `kmax={$D->bkg_spl2}`; Data/Mu.pm spline_range keeps bkg_spl2e = k2e(bkg_spl2)", unit: "1/Å", default: "end of data", range: 0...100,
      help: "End of the AUTOBK k range", \.autobk.kmax),
    .real(
      "bkg_dk", .background, athena: "bkg_dk", .taperWidth(windowName: "bkg_kwindow"),
      demeter: "templates/process/larch/autobk.tmpl (autobk call): `bkg_dk(0.1) if kaiser and bkg_dk == 0`", unit: "1/Å", default: "0.1", range: 0...100,
      help: "Taper width of the AUTOBK window", \.autobk.dk),
    .window(
      "bkg_window", .background, athena: "bkg_kwindow", demeter: "templates/process/larch/autobk.tmpl (autobk call): `kaiser` for `kaiser-bessel`", default: "hanning",
      help: "Window of the AUTOBK transform", \.autobk.window),
    .integer(
      "nknots", .background, athena: nil, default: "1 + 2 rbkg (bkg_kmax - bkg_kmin)/pi, clipped to 5 ... 128",
      range: 5...128, help: "Number of AUTOBK spline knots",
      get: { $0.autobk.nknots }, set: { $0.autobk.nknots = $1 }),
    .real(
      "clamp_lo", .background, athena: "bkg_clamp1", .clampStrength,
      demeter: "templates/process/larch/autobk.tmpl (autobk call) `clamp_lo=`; Data/Mu.pm clamp(); configuration/clamp.demeter_conf", unit: "", default: "0", range: 0...1e6,
      help: "Weight of the low-k clamp", \.autobk.clampLo),
    .real(
      "clamp_hi", .background, athena: "bkg_clamp2", .clampStrength,
      demeter: "templates/process/larch/autobk.tmpl (autobk call) `clamp_hi=`; Data/Mu.pm clamp(); configuration/clamp.demeter_conf", unit: "", default: "1", range: 0...1e6,
      help: "Weight of the high-k clamp", \.autobk.clampHi),
    .integer(
      "nclamp", .background, athena: nil, default: "3", range: 0...50,
      help: "Number of chi(k) points at each end that the clamps hold near zero",
      get: { $0.autobk.nclamp }, set: { if let n = $1 { $0.autobk.nclamp = n } }),
    // Fourier transform (xftf).
    .real(
      "kmin", .fourier, athena: "fft_kmin", demeter: "templates/process/larch/fft.tmpl (xftf call)", unit: "1/Å", default: "2", range: 0...100,
      help: "Start of the Fourier-transform k window", \.fourier.kmin),
    .optionalReal(
      "kmax", .fourier, athena: "fft_kmax", demeter: "templates/process/larch/fft.tmpl (xftf call)", unit: "1/Å", default: "last data point minus 1, rounded down",
      range: 0...100, help: "End of the Fourier-transform k window", \.fourier.kmax),
    .real(
      "dk", .fourier, athena: "fft_dk", demeter: "templates/process/larch/fft.tmpl (xftf call): `dk=` and `dk2=` both fft_dk", unit: "1/Å", default: "1", range: 0...100,
      help: "Taper width of the FT window at kmin (Kaiser shape, Gaussian width)", \.fourier.dk),
    .optionalReal(
      "dk2", .fourier, athena: nil, unit: "1/Å", default: "dk", range: 0...100,
      help: "Taper width of the FT window at kmax", \.fourier.dk2),
    .window(
      "window", .fourier, athena: "fft_kwindow", demeter: "templates/process/larch/fft.tmpl (xftf call): `window=`", default: "hanning", help: "Fourier-transform window", \.fourier.window),
    .real(
      "kweight", .fourier, athena: "fft_kw", demeter: "Data.pm fft_kw; templates/process/larch/fft.tmpl (xftf call) `kweight=`", unit: "", default: "2", range: 0...10,
      help: "k-weight w of k^w chi(k) in the transform (any real number)", \.fourier.kweight),
    .real(
      "rmax_out", .fourier, athena: "rmax_out", demeter: "templates/process/larch/fft.tmpl (xftf call): `rmax_out=`", unit: "Å", default: "10", range: 0...50, open: (true, false),
      help: "Largest R written to NAME.chir", \.fourier.rmaxOut),
    // Back transform (xftr), for NAME.chiq.
    .real(
      "rmin", .backTransform, athena: "bft_rmin", demeter: "configuration/bft.demeter_conf (rmin); Data.pm bft_rmin", unit: "Å", default: "1",
      range: 0...50, help: "Start of the back-transform R window", \.backTransform.rmin),
    .real(
      "rmax", .backTransform, athena: "bft_rmax", demeter: "configuration/bft.demeter_conf (rmax); Data.pm bft_rmax", unit: "Å", default: "3",
      range: 0...50, open: (true, false), help: "End of the back-transform R window", \.backTransform.rmax),
    .real(
      "dr", .backTransform, athena: "bft_dr", demeter: "configuration/bft.demeter_conf (dr); Data.pm bft_dr", unit: "Å", default: "0.5",
      range: 0...50, help: "Taper width of the back-transform R window", \.backTransform.dr),
    .window(
      "rwindow", .backTransform, athena: "bft_rwindow", demeter: "configuration/bft.demeter_conf (rwindow); Data.pm bft_rwindow", default: "hanning",
      help: "Back-transform R window", \.backTransform.window),
  ]

  /// The parameter table as Markdown, as `Docs/pipeline.md` shows it (a test keeps the two equal).
  public static var markdownTable: String {
    var lines = [
      "| parameter | option | Athena | unit | default | allowed | meaning |",
      "|---|---|---|---|---|---|---|",
    ]
    for p in all {
      let athena: String
      switch (p.athenaName, p.athenaEncoding) {
      case (nil, _): athena = "–"
      case (let a?, .polynomialTerms): athena = "`\(a)` (terms = nnorm + 1)"
      case (let a?, .clampStrength): athena = "`\(a)` (number or word)"
      case (let a?, .edgeEnergy): athena = "`\(a)` (0: not set)"
      case (let a?, .splineK(let e)): athena = "`\(a)` (or `\(e)` in eV)"
      case (let a?, .fixedStep(let flag)): athena = "`\(a)` (when `\(flag)`)"
      case (let a?, _): athena = "`\(a)`"
      }
      lines.append(
        "| `\(p.name)` | `\(p.flag)` | \(athena) | \(p.unit.isEmpty ? "–" : p.unit) | \(p.defaultText) | \(p.rangeText) | \(p.help) |"
      )
    }
    return lines.joined(separator: "\n")
  }
}
