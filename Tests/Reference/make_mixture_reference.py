#!/usr/bin/env python3
"""Compute Larch's linear-combination fits (lincombo_fit, lincombo_fitall) and principal component
analysis (pca_train, pca_fit) and write the JSON fixtures of Tests/EXAFSKitTests/Fixtures/mixtures/
used by LinearCombinationFitTests.swift and PrincipalComponentTests.swift.

Run from the repository root:

    python3 Tests/Reference/make_mixture_reference.py

Needs xraylarch (pip install xraylarch==2026.3.1). The fixtures are committed, so the Swift tests
never need Python; rerun this only when a case below or Larch changes.

Recipe
------
Synthetic mixtures (committed, built here from the bundled FEFF simulations of
SampleSpectra/simulated/, which are simulations, not measurements):

    norm_k = pre_edge(tacl6_bendKK_sim_transmission.dat).norm           (Larch defaults)
    tacl6_mix_00_30.dat   : 0.65 norm_00 + 0.35 norm_30 + N(0, 0.002), same energies
    tacl6_mix_shifted.dat : the same mixture with its energies moved by +1.5 eV
    tacl6_series_N.dat    : seven mixtures a norm_00 + b norm_10 + (1 - a - b) norm_30 + N(0, 0.0005)
                            (the PCA series; (a, b) in SERIES below)

Every spectrum (mixtures and standards) is normalized with Larch's pre_edge and its defaults;
chi(k) comes from autobk with its defaults. The cases then call

    lincombo_fit(sample, standards, arrayname=..., xmin=..., xmax=..., sum_to_one=..., vary_e0=...)
    lincombo_fitall(sample, standards, ..., max_output=1000)

with xmin/xmax absolute (eV; for chi, the energies whose k are kmin/kmax, as groups2matrix converts
them with the sample's E0). The fixture keeps, for each case, the arrays lincombo_fit used (x, the
sample's y and each standard's y interpolated onto x) so that the fit itself can be checked apart
from the normalization, and every output: weights, their standard errors, e0_shift, chi-square,
reduced chi-square, R-factor, the ranking of lincombo_fitall.

Real-data cases read ../shared/data/real/ (not part of the repository; the Swift tests skip them
when it is absent): As K-edge standards and soil samples of the Athena project
athena-projects/As_XAFS_fulldataset2.prj (xraylarch examples, MIT).

PCA: pca_train on a set of spectra, then pca_fit (rescale=True) of candidate standards with the
first ncomps components ("target transformation"). Malinowski's F-test is not in Larch (its
pca_statistics indexes eigenvalues past their count when there are more energies than spectra),
so the F values here are computed directly from the eigenvalues with the formula of
Malinowski, J. Chemometrics 3 (1988) 49 and scipy's F distribution, as an independent check.
"""
import json
import math
from pathlib import Path

import numpy as np
from scipy import stats

from larch import Group
from larch.io import read_ascii, read_athena
from larch.xafs import pre_edge, autobk
from larch.math.lincombo_fitting import lincombo_fit, lincombo_fitall, groups2matrix
from larch.math.pca import pca_train, pca_fit
from larch.math.utils import ETOK

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "EXAFSKitTests" / "Fixtures" / "mixtures"
SIM = ROOT / "SampleSpectra" / "simulated"
REAL = ROOT.parent / "shared" / "data" / "real"
KTOE = 3.8099819442818976


def numbers(values):
    return [None if not math.isfinite(v) else float(v) for v in np.asarray(values, dtype=float).ravel()]


def read_sim(name):
    """A simulated transmission scan: mu = ln(i0/it)."""
    d = read_ascii(str(SIM / name), labels="energy i0 it")
    g = Group(energy=np.asarray(d.energy, float), mu=np.log(np.asarray(d.i0, float) / np.asarray(d.it, float)))
    g.filename = name.replace("_sim_transmission.dat", "")
    return g


def read_two_column(path, label):
    d = np.loadtxt(str(path))
    g = Group(energy=d[:, 0].copy(), mu=d[:, 1].copy())
    g.filename = label
    return g


def prepare(g, chi=False):
    pre_edge(g)
    if chi:
        autobk(g)
    return g


def write_mixtures():
    OUT.mkdir(parents=True, exist_ok=True)
    a = prepare(read_sim("tacl6_bend00_sim_transmission.dat"))
    b = prepare(read_sim("tacl6_bend30_sim_transmission.dat"))
    rng = np.random.default_rng(20261202)
    noise = rng.normal(0.0, 0.002, len(a.energy))
    mix = 0.65 * a.norm + 0.35 * b.norm + noise
    header = ("# Synthetic mixture made by Tests/Reference/make_mixture_reference.py from FEFF simulations\n"
              "# (SampleSpectra/simulated): 0.65 norm(tacl6_bend00) + 0.35 norm(tacl6_bend30) + N(0, 0.002),\n"
              "# norm from Larch 2026.3.1 pre_edge with its defaults. Not a measurement.\n")
    for name, shift, note in (("tacl6_mix_00_30.dat", 0.0, ""),
                              ("tacl6_mix_shifted.dat", 1.5, "# Energies moved by +1.5 eV.\n")):
        lines = [header + note + "# energy mu"]
        for e, m in zip(a.energy + shift, mix):
            lines.append(f"{float(e)!r} {float(m)!r}")
        (OUT / name).write_text("\n".join(lines) + "\n")


def lcf_case(name, sample, standards, space, xmin, xmax, sum_to_one=True, vary_e0=False, kweight=0,
             kmin=None, kmax=None, files=None, bounds=None):
    arrayname = space if space != "chik" else f"chi{kweight}"
    if space == "chik":
        # groups2matrix turns energies into k with larch.math.utils.etok (its own constant, 2e-8
        # from KTOE): give the energies of k just above kmin/kmax so that index_of picks them.
        xmin = sample.e0 + (kmin + 1e-6) ** 2 / ETOK
        xmax = sample.e0 + (kmax + 1e-6) ** 2 / ETOK
    limits = {} if bounds is None else {"minvals": [bounds[0]] * len(standards), "maxvals": [bounds[1]] * len(standards)}
    fit = lincombo_fit(sample, standards, arrayname=arrayname, xmin=xmin, xmax=xmax,
                       sum_to_one=sum_to_one, vary_e0=vary_e0, **limits)
    x, yall = groups2matrix([sample] + standards, yname=arrayname, xmin=xmin, xmax=xmax)
    labels = [s.filename for s in standards]
    params = fit.params
    e0p = params["e0_shift"]
    everything = lincombo_fitall(sample, standards, arrayname=arrayname, xmin=xmin, xmax=xmax,
                                 sum_to_one=sum_to_one, vary_e0=vary_e0, max_output=1000, **limits)
    ranking = [{
        "standards": list(r.weights.keys()),
        "weights": {k: float(v) for k, v in r.weights.items()},
        "reduced_chi_square": float(r.redchi), "r_factor": float(r.rfactor),
    } for r in everything]
    case = {
        "name": name, "space": space, "kweight": kweight, "sum_to_one": sum_to_one, "vary_e0": vary_e0,
        "bounds": bounds,
        "files": files, "sample": sample.filename, "standards": labels,
        "e0": {g.filename: float(g.e0) for g in [sample] + standards},
        "xmin": float(xmin), "xmax": float(xmax), "kmin": kmin, "kmax": kmax,
        "x": numbers(x), "y": numbers(yall[0]), "components": [numbers(yall[i + 1]) for i in range(len(standards))],
        "weights": {k: float(fit.weights[k]) for k in labels},
        "uncertainties": {k: (float(params[k].stderr) if params[k].stderr is not None else None) for k in labels},
        "weights_lstsq": {k: float(fit.weights_lstsq[k]) for k in labels},
        "e0_shift": float(e0p.value), "e0_shift_uncertainty": float(e0p.stderr) if e0p.stderr else None,
        "chi_square": float(fit.chisqr), "reduced_chi_square": float(fit.redchi), "r_factor": float(fit.rfactor),
        "npts": int(fit.result.ndata), "nvarys": int(fit.result.nvarys), "yfit": numbers(fit.yfit),
        "ranking": ranking,
    }
    return case


def synthetic_lcf_cases():
    std = [prepare(read_sim(f"tacl6_bend{b}_sim_transmission.dat"), chi=True) for b in ("00", "10", "20", "30")]
    mix = prepare(read_two_column(OUT / "tacl6_mix_00_30.dat", "tacl6_mix_00_30"), chi=True)
    shifted = prepare(read_two_column(OUT / "tacl6_mix_shifted.dat", "tacl6_mix_shifted"))
    simfiles = {s.filename: f"SampleSpectra/simulated/{s.filename}_sim_transmission.dat" for s in std}
    files = dict(simfiles, tacl6_mix_00_30="Fixtures/mixtures/tacl6_mix_00_30.dat",
                 tacl6_mix_shifted="Fixtures/mixtures/tacl6_mix_shifted.dat")
    e0 = mix.e0
    return [
        lcf_case("tacl6_norm_two", mix, [std[0], std[3]], "norm", e0 - 20, e0 + 150, files=files),
        lcf_case("tacl6_norm_four", mix, std, "norm", e0 - 20, e0 + 150, files=files),
        lcf_case("tacl6_norm_free", mix, [std[0], std[3]], "norm", e0 - 20, e0 + 150, sum_to_one=False,
                 files=files),
        lcf_case("tacl6_dmude_two", mix, [std[0], std[3]], "dmude", e0 - 20, e0 + 60, files=files),
        lcf_case("tacl6_chik_three", mix, [std[0], std[1], std[3]], "chik", None, None, kweight=2,
                 kmin=3, kmax=12, files=files),
        lcf_case("tacl6_norm_e0shift", shifted, [std[0], std[3]], "norm", shifted.e0 - 20, shifted.e0 + 150,
                 vary_e0=True, files=files),
    ]


def bounded_lcf_cases():
    """Larch with weights in [0, 1] (minvals/maxvals): lmfit's bounded Levenberg-Marquardt, which
    can stop short of the minimum; kept to document the comparison, not as a target."""
    std = [prepare(read_sim(f"tacl6_bend{b}_sim_transmission.dat")) for b in ("00", "10", "20", "30")]
    mix = prepare(read_two_column(OUT / "tacl6_mix_00_30.dat", "tacl6_mix_00_30"))
    files = {s.filename: f"SampleSpectra/simulated/{s.filename}_sim_transmission.dat" for s in std}
    files["tacl6_mix_00_30"] = "Fixtures/mixtures/tacl6_mix_00_30.dat"
    e0 = mix.e0
    return [lcf_case("tacl6_norm_four_bounded", mix, std, "norm", e0 - 20, e0 + 150, bounds=[0.0, 1.0], files=files)]


def arsenic_groups():
    path = REAL / "athena-projects" / "As_XAFS_fulldataset2.prj"
    if not path.exists():
        print(f"skipping the real As cases: {path} is absent")
        return None
    proj = read_athena(str(path), do_preedge=False)
    groups = {}
    for key in dir(proj):
        g = getattr(proj, key)
        if hasattr(g, "label") and hasattr(g, "energy"):
            g.filename = g.label
            # Athena applies the stored calibration shift (bkg_eshift) to the energies before
            # anything else, as exafs does; Larch's read_athena leaves it out, so add it here.
            shift = getattr(getattr(getattr(g, "athena_params", None), "bkg", None), "eshift", 0) or 0
            g.energy = g.energy + float(shift)
            groups[g.label] = prepare(g)
    return groups


def real_lcf_cases(groups):
    if groups is None:
        return []
    sample = groups["TBL5 _top_merge5"]
    standards = [groups["As2O3-101.dat"], groups["Na-arsenate-101.dat"], groups["As_XAFS_scrodite.001"]]
    files = {"project": "../shared/data/real/athena-projects/As_XAFS_fulldataset2.prj"}
    e0 = sample.e0
    return [
        lcf_case("arsenic_norm_three", sample, standards, "norm", e0 - 20, e0 + 30, files=files),
        lcf_case("arsenic_norm_free", sample, standards[:2], "norm", e0 - 20, e0 + 30, sum_to_one=False,
                 files=files),
    ]


def malinowski_f(eigenvalues, npoints):
    """Malinowski's F(1, s - j) for factor j = 1 ... s-1 and its significance level, where s is the
    number of meaningful eigenvalues: pca_train removes the mean spectrum, so its last eigenvalue
    is zero by construction and is left out."""
    lam = np.asarray(eigenvalues, float)[:-1]
    s = len(lam)
    r, c = npoints, len(lam) + 1
    w = lambda i: (r - i + 1) * (c - i + 1)
    out = []
    for j in range(1, s):  # factor j, 1-based
        rest = sum(lam[i - 1] for i in range(j + 1, s + 1))
        wrest = sum(w(i) for i in range(j + 1, s + 1))
        f = (wrest / w(j)) * lam[j - 1] / rest
        out.append({"factor": j, "f": float(f), "significance": float(stats.f.sf(f, 1, s - j))})
    return out


def pca_case(name, groups, targets, arrayname, xmin, xmax, ncomps, files):
    model = pca_train(groups, arrayname=arrayname, xmin=xmin, xmax=xmax)
    narr, nfreq = model.ydat.shape
    fits = []
    for t in targets:
        pca_fit(t, model, ncomps=ncomps, rescale=True)
        r = t.pca_result
        fits.append({"name": t.filename, "weights": numbers(r.weights), "chi_square": float(r.chi_square),
                     "scale": float(r.data_scale), "yfit": numbers(r.yfit), "ydat": numbers(r.ydat)})
    return {
        "name": name, "space": arrayname, "xmin": float(xmin), "xmax": float(xmax), "files": files,
        "spectra": [g.filename for g in groups], "e0": {g.filename: float(g.e0) for g in groups + targets},
        "x": numbers(model.x), "ydat": [numbers(row) for row in model.ydat], "mean": numbers(model.mean),
        "eigenvalues": numbers(model.eigenvalues), "variances": numbers(model.variances),
        "components": [numbers(c) for c in model.components], "ind": numbers(model.ind), "nsig": int(model.nsig),
        "f_test": malinowski_f(model.eigenvalues, nfreq),
        "ncomps": ncomps, "targets": fits,
    }


SERIES = [(0.9, 0.0), (0.7, 0.2), (0.5, 0.1), (0.3, 0.5), (0.2, 0.2), (0.1, 0.6), (0.0, 0.3)]


def synthetic_pca_cases():
    std = [prepare(read_sim(f"tacl6_bend{b}_sim_transmission.dat")) for b in ("00", "10", "20", "30")]
    rng = np.random.default_rng(7)
    mixes = []
    for i, (a, b) in enumerate(SERIES):
        y = a * std[0].norm + b * std[1].norm + (1 - a - b) * std[3].norm + rng.normal(0.0, 0.0005, len(std[0].energy))
        g = Group(energy=std[0].energy.copy(), mu=y)
        g.filename = f"tacl6_series_{i + 1}"
        mixes.append(prepare(g))
    for g, (a, b) in zip(mixes, SERIES):
        lines = ["# Synthetic series made by Tests/Reference/make_mixture_reference.py from FEFF simulations",
                 f"# (SampleSpectra/simulated): {a} norm(tacl6_bend00) + {b} norm(tacl6_bend10) + "
                 f"{round(1 - a - b, 10)} norm(tacl6_bend30) + N(0, 0.0005). Not a measurement.",
                 "# energy mu"]
        lines += [f"{float(e)!r} {float(m)!r}" for e, m in zip(g.energy, g.mu)]
        (OUT / f"{g.filename}.dat").write_text("\n".join(lines) + "\n")
    e0 = mixes[0].e0
    files = {g.filename: f"Fixtures/mixtures/{g.filename}.dat" for g in mixes}
    return [pca_case("tacl6_series", mixes, [std[0], std[1], std[3]], "norm", e0 - 20, e0 + 300, 3, files)]


def real_pca_cases(groups):
    if groups is None:
        return []
    labels = ["TBL5 _top_merge5", "TBL5_middle_merge3", "TBL5_bottom_merge3", "TBL5_up_org_merge2",
              "TBL2 merge3", "TBL3 merge3", "RR5_as_xafs_001.dat", "RR5M2_as_xafs_001.dat"]
    spectra = [groups[k] for k in labels]
    targets = [groups["As2O3-101.dat"], groups["Na-arsenate-101.dat"], groups["As_XAFS_scrodite.001"]]
    e0 = spectra[0].e0
    files = {"project": "../shared/data/real/athena-projects/As_XAFS_fulldataset2.prj"}
    return [pca_case("arsenic_soils", spectra, targets, "norm", e0 - 20, e0 + 60, 2, files)]


def without_arrays(case):
    """A real-data case without the data arrays: only Larch's numbers are committed, never the
    measured spectra (they stay in ../shared/data/real)."""
    arrays = ("x", "y", "components", "yfit", "ydat", "mean")
    out = {k: v for k, v in case.items() if k not in arrays}
    if "targets" in out:
        out["targets"] = [{k: v for k, v in t.items() if k not in arrays} for t in out["targets"]]
    return out


def main():
    write_mixtures()
    groups = arsenic_groups()
    lcf = {"larch_version": "2026.3.1", "cases": synthetic_lcf_cases(), "bounded_cases": bounded_lcf_cases(),
           "real_cases": [without_arrays(c) for c in real_lcf_cases(groups)]}
    (OUT / "lcf_reference.json").write_text(json.dumps(lcf, indent=1) + "\n")
    pca = {"larch_version": "2026.3.1", "cases": synthetic_pca_cases(),
           "real_cases": [without_arrays(c) for c in real_pca_cases(groups)]}
    (OUT / "pca_reference.json").write_text(json.dumps(pca, indent=1) + "\n")
    for c in lcf["cases"] + lcf["bounded_cases"] + lcf["real_cases"]:
        print(c["name"], {k: round(v, 5) for k, v in c["weights"].items()},
              {k: (round(v, 5) if v else v) for k, v in c["uncertainties"].items()},
              "e0_shift", round(c["e0_shift"], 4), "redchi", f'{c["reduced_chi_square"]:.4g}',
              "R", f'{c["r_factor"]:.4g}', "npts", c["npts"], "ranked", len(c["ranking"]))
    for c in pca["cases"] + pca["real_cases"]:
        print(c["name"], "eig", [round(v, 4) for v in c["eigenvalues"]], "nsig", c["nsig"],
              "F", [(f["factor"], round(f["significance"], 4)) for f in c["f_test"]])
        for t in c["targets"]:
            print("  target", t["name"], "chi2", f'{t["chi_square"]:.4g}', "scale", round(t["scale"], 5))


if __name__ == "__main__":
    main()
