// AthenaProject+Defaults: the full set of @args that Demeter writes for a data group, with its defaults.
import Foundation

extension AthenaProject {
  /// Every `@args` key Demeter 0.9.26 writes for a mu(E) group (the 125 keys of a group it saved,
  /// e.g. xasref foil projects), with the defaults of `Demeter::Data` (lib/Demeter/Data.pm `has`
  /// declarations and configuration/bkg.demeter_conf, fft.demeter_conf, bft.demeter_conf).
  /// Group-specific keys (`label`, `group`, `old_group`, `datagroup`, `tag`, `npts`, `xmin`,
  /// `xmax`, `bkg_e0` ...) are filled in by `format(groups:)`; a group's own `args` override these.
  static let demeterDefaultArgs: [(String, String)] = [
    ("annotation", ""), ("beamline", ""), ("beamline_identified", "0"),
    ("bft_dr", "0.2"), ("bft_rmax", "3"), ("bft_rmin", "1"), ("bft_rwindow", "hanning"),
    ("bkg_algorithm", "autobk"), ("bkg_cl", "0"), ("bkg_clamp1", "0"), ("bkg_clamp2", "24"),
    ("bkg_delta_eshift", "0"), ("bkg_dk", "1"), ("bkg_e0", "0"), ("bkg_e0_fraction", "0.5"),
    ("bkg_eshift", "0"), ("bkg_fitted_step", "0"), ("bkg_fixstep", "0"), ("bkg_flatten", "1"),
    ("bkg_former_e0", "0"), ("bkg_int", "0"), ("bkg_kw", "1"), ("bkg_kwindow", "hanning"),
    ("bkg_nc0", "0"), ("bkg_nc1", "0"), ("bkg_nc2", "0"), ("bkg_nc3", "0"), ("bkg_nclamp", "5"),
    ("bkg_nnorm", "3"), ("bkg_nor1", "150"), ("bkg_nor2", "400"), ("bkg_pre1", "-150"), ("bkg_pre2", "-30"),
    ("bkg_rbkg", "1.0"), ("bkg_slope", "0"), ("bkg_spl1", "0"), ("bkg_spl1e", "0"), ("bkg_spl2", "0"),
    ("bkg_spl2e", "0"), ("bkg_stan", "None"), ("bkg_step", "0"), ("bkg_tie_e0", "0"), ("bkg_z", "H"),
    ("chi_column", ""), ("chi_string", ""), ("collided", "0"), ("columns", ""), ("daq", ""),
    ("denominator", "1"), ("display", "0"), ("energy", ""), ("energy_string", ""), ("epsk", "0"), ("epsr", "0"),
    ("fft_dk", "4"), ("fft_edge", "k"), ("fft_kmax", "0"), ("fft_kmin", "3"), ("fft_kwindow", "hanning"),
    ("fft_pc", "0"), ("fft_pcpathgroup", ""), ("fft_pctype", "central"), ("file", "@&^^null^^&@"),
    ("forcekey", "0"), ("from_athena", "0"), ("from_yaml", "0"), ("frozen", "0"), ("generated", "0"),
    ("i0_scale", "1"), ("i0_string", ""), ("importance", "1"), ("inv", "0"), ("is_col", "0"), ("is_fit", "0"),
    ("is_kev", "0"), ("is_merge", "0"), ("is_nor", "0"), ("is_pixel", "0"), ("is_special", "0"),
    ("is_xmu", "1"), ("ln", "0"), ("mark", "0"), ("marked", "0"), ("maxk", "0"), ("merge_weight", "1"),
    ("multiplier", "1"), ("nidp", "0"), ("nknots", "0"), ("numerator", ""), ("plot_scale", "1"),
    ("plot_yoffset", "0"), ("plotkey", ""), ("plotspaces", "any"), ("prjrecord", ""), ("provenance", ""),
    ("quenched", "0"), ("quickmerge", "0"), ("read_as_raw", "0"), ("rebinned", "0"), ("recommended_kmax", "0"),
    ("recordtype", "mu(E)"), ("referencegroup", "0"), ("rmax_out", "10"), ("signal_scale", "1"),
    ("signal_string", ""), ("source", "@&^^null^^&@"), ("titles", ""), ("trouble", ""), ("tying", "0"),
    ("unreadable", "0"), ("update_bft", "1"), ("update_bkg", "1"), ("update_columns", "0"),
    ("update_data", "0"), ("update_fft", "1"), ("update_norm", "1"), ("xdi_will_be_cloned", "0"),
    ("xdifile", ""), ("xmu_string", ""),
  ]

  /// The `@args` of `group` as written: Demeter's defaults, then the group's own `args`, then the
  /// keys that describe the group itself (label, datatype flags, keys, size, range).
  static func fullArgs(_ group: AthenaGroup, key: String) -> [String: String] {
    // Defaults of processing parameters are left out: a group written without them (a merge)
    // is then processed with each reader's own defaults, not with numbers nobody chose.
    let bookkeeping = demeterDefaultArgs.filter { AthenaParameters.rulesByName[$0.0]?.canonicalName == nil }
    var args = Dictionary(bookkeeping, uniquingKeysWith: { a, _ in a })
    args.merge(group.args) { _, own in own }
    if let symbol = group.args["atsym"], !symbol.isEmpty, group.args["bkg_z"] == nil { args["bkg_z"] = symbol }
    if let edge = group.args["edge"], !edge.isEmpty, group.args["fft_edge"] == nil { args["fft_edge"] = edge.lowercased() }
    args["label"] = group.label
    args["datatype"] = group.datatype
    args["is_xmu"] = ["xmu", "xanes", "norm"].contains(group.datatype) ? "1" : "0"
    args["is_chi"] = group.datatype == "chi" ? "1" : "0"
    args["is_xanes"] = group.datatype == "xanes" ? "1" : "0"
    args["is_xmudat"] = group.datatype == "xmudat" ? "1" : "0"
    args["recordtype"] = group.datatype == "chi" ? "chi(k)" : "mu(E)"
    args["npts"] = String(group.x.count)
    if let first = group.x.first, let last = group.x.last, first.isFinite, last.isFinite {
      args["xmin"] = "\(first)"
      args["xmax"] = "\(last)"
    }
    for name in ["old_group", "group", "datagroup", "tag"] { args[name] = key }
    return args
  }
}
