// Export of a processed spectrum as an Athena project group, with our parameters under Athena's names.
import Foundation

extension ProcessedSpectrum {
  /// The spectrum as an Athena group: mu(E) (or chi(k) for chi input) with `@args` holding every
  /// parameter of the parameter table that Athena knows, under its Athena name and in Demeter's
  /// encoding (`bkg_nnorm` as the number of terms), plus the E0 and edge step found, so that
  /// Athena and Larch reopen it with the same settings.
  public var athenaGroup: AthenaGroup {
    var args: [String: String] = [:]
    let stages: Set<ProcessingStage> = normalized != nil ? Set(ProcessingStage.allCases) : [.fourier, .backTransform]
    for p in ProcessingParameter.all where stages.contains(p.stage) {
      if let athenaName = p.athenaName, let text = p.athenaText(settings[p]) { args[athenaName] = text }
    }
    if let n = normalized {
      // The values found from the data where the parameter was left to it; Demeter's bookkeeping:
      // the energies are written already shifted (bkg_eshift 0), a fixed step is flagged, and the
      // spline range is also given in eV (bkg_spl1e/2e), as Demeter keeps both.
      let a = settings.autobk
      args["bkg_e0"] = String(format: "%.10g", n.e0)
      if n.edgeStep.isFinite {
        args["bkg_step"] = String(format: "%.10g", n.edgeStep)
        args["bkg_fitted_step"] = String(format: "%.10g", n.edgeStep)
      }
      args["bkg_eshift"] = "0"
      args["bkg_fixstep"] = settings.normalization.step == nil ? "0" : "1"
      args["bkg_spl1e"] = String(format: "%.10g", a.kmin * a.kmin * KTOE)
      if let kmax = a.kmax { args["bkg_spl2e"] = String(format: "%.10g", kmax * kmax * KTOE) }
      var spectrum = n.spectrum
      spectrum.name = name
      var group = AthenaGroup(spectrum: spectrum, datatype: "xmu")
      group.args.merge(args) { _, new in new }
      return group
    }
    var group = AthenaGroup(
      chi: ChiSpectrum(name: name, k: chik.k, chi: chik.chi, metadata: metadata, source: source))
    group.args.merge(args) { _, new in new }
    return group
  }
}
