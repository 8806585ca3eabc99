#!/usr/bin/env python3
"""FEFF path files and Larch references for the path-fitting code (Sources/EXAFSKit/Fitting/).

Run from the repository root (needs Debian's feff85exafs for /usr/bin/feff6l and feff8l, and
xraylarch 2026.3.1):

    python3 Tests/Reference/make_fit_reference.py

Writes, under Tests/EXAFSKitTests/Fixtures/fitting/:

  feff6/<cluster>/feffNNNN.dat, feff.inp   FEFF6 (feff6l) paths of four clusters:
      tacl6  Ta + 6 Cl at 2.37 A + 8 Na at 3.90 A (cube corners), RMAX 5.2, NLEG 4: the cluster of
             SampleSpectra/simulated (bend 0)
      ta-bcc bcc Ta metal, a = 3.3058 A (8 at 2.863, 6 at 3.306), RMAX 3.4
      ptcl6  Pt + 6 Cl at 2.32 A + 8 K at 4.22 A (K2PtCl6), RMAX 3.0 (first shell only)
  feff8/tacl6/feffNNNN.dat, feff.inp       FEFF8 (feff8l) paths of Ta + 6 Cl, RPATH 4.8: the FEFF8 layout
  path2chi.json     Larch feffpath + path2chi on every path file above, for three parameter sets
  cases/*.model.json   fit models in the `exafs fit` model format (written by this script)
  feffit.json       Larch feffit results for every case: parameters (value, stderr, init),
                    statistics, correlations, evaluated path parameters, and the residual at the
                    starting values

The model format is translated to Larch as follows: "guess" -> guess(v), "value" -> param(v,
vary=False), "expr" -> param(expr=...), with '^' written as '**'; each path -> feffpath(file,
s02=..., e0=..., ...); transform -> feffit_transform(**transform) (fit_space -> fitspace); data ->
a Group with the .chi file's k and chi (feffit interpolates it onto its 0.05 grid itself).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from larch import Group
from larch.fitting import param, guess, param_group
from larch.io import read_ascii
from larch.xafs import feffpath, path2chi, feffit_transform, feffit_dataset, feffit

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/EXAFSKitTests/Fixtures/fitting"
SIM = ROOT / "SampleSpectra/simulated"


def feff_inp(title, edge_hole, potentials, atoms, rmax, nleg, version):
    lines = [f"TITLE {title}", f"HOLE {edge_hole} 1.0"]
    if version == 6:
        lines += ["CONTROL 1 1 1 1", "PRINT 0 0 0 0", f"RMAX {rmax}"]
    else:
        lines += ["CONTROL 1 1 1 1 1 1", "PRINT 0 0 0 0 0 3", f"RPATH {rmax}", "EXAFS 20"]
    lines += [f"NLEG {nleg}", "POTENTIALS"]
    lines += [f"  {ip} {z} {sym}" for ip, z, sym in potentials]
    lines += ["ATOMS"]
    lines += [f"  {x:10.5f} {y:10.5f} {z:10.5f} {ip} {sym}" for x, y, z, ip, sym in atoms]
    lines += ["END", ""]
    return "\n".join(lines)


def run_feff(name, text, version):
    dest = OUT / f"feff{version}" / name
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    exe = "/usr/bin/feff6l" if version == 6 else "/usr/bin/feff8l"
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "feff.inp").write_text(text)
        subprocess.run([exe], cwd=tmp, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        files = sorted(p for p in Path(tmp).glob("feff[0-9][0-9][0-9][0-9].dat"))
        if not files:
            sys.exit(f"{exe} wrote no feffNNNN.dat for {name}")
        for p in files:
            shutil.copy(p, dest / p.name)
    (dest / "feff.inp").write_text(text)
    return sorted(dest.glob("feff[0-9][0-9][0-9][0-9].dat"))


def clusters():
    out = {}
    c = 2.37
    cl = [(c, 0, 0), (-c, 0, 0), (0, c, 0), (0, -c, 0), (0, 0, c), (0, 0, -c)]
    n = 3.90 / np.sqrt(3)
    na = [(sx * n, sy * n, sz * n) for sx in (1, -1) for sy in (1, -1) for sz in (1, -1)]
    atoms = [(0, 0, 0, 0, "Ta")] + [(*p, 1, "Cl") for p in cl] + [(*p, 2, "Na") for p in na]
    out[("tacl6", 6)] = feff_inp("TaCl6 Na8 cluster, Ta-Cl 2.37, Ta-Na 3.90", 4,
                                 [(0, 73, "Ta"), (1, 17, "Cl"), (2, 11, "Na")], atoms, 5.2, 4, 6)
    atoms8 = [(0, 0, 0, 0, "Ta")] + [(*p, 1, "Cl") for p in cl]
    out[("tacl6", 8)] = feff_inp("TaCl6 cluster, Ta-Cl 2.37", 4, [(0, 73, "Ta"), (1, 17, "Cl")],
                                 atoms8, 4.8, 4, 8)
    a = 3.3058
    ta = []
    for i in range(-4, 5):
        for j in range(-4, 5):
            for k in range(-4, 5):
                if (i % 2 == j % 2 == k % 2) and (i, j, k) != (0, 0, 0):
                    p = (i * a / 2, j * a / 2, k * a / 2)
                    if np.sqrt(sum(x * x for x in p)) < 6.0:
                        ta.append(p)
    atoms = [(0, 0, 0, 0, "Ta")] + [(*p, 1, "Ta") for p in ta]
    out[("ta-bcc", 6)] = feff_inp("bcc Ta metal, a = 3.3058", 4, [(0, 73, "Ta"), (1, 73, "Ta")],
                                  atoms, 3.4, 2, 6)
    c = 2.32
    cl = [(c, 0, 0), (-c, 0, 0), (0, c, 0), (0, -c, 0), (0, 0, c), (0, 0, -c)]
    n = 9.755 / 4
    kk = [(sx * n, sy * n, sz * n) for sx in (1, -1) for sy in (1, -1) for sz in (1, -1)]
    atoms = [(0, 0, 0, 0, "Pt")] + [(*p, 1, "Cl") for p in cl] + [(*p, 2, "K") for p in kk]
    out[("ptcl6", 6)] = feff_inp("K2PtCl6: Pt-Cl 2.32, Pt-K 4.22", 4,
                                 [(0, 78, "Pt"), (1, 17, "Cl"), (2, 19, "K")], atoms, 3.0, 2, 6)
    return out


PATH_SETS = [
    {},
    {"s02": 0.85, "e0": 4.5, "deltar": 0.03, "sigma2": 0.006, "third": 0.0003, "fourth": 0.00002, "ei": 1.2},
    {"s02": 1.1, "e0": -6.0, "deltar": -0.05, "sigma2": 0.002, "third": -0.0002, "degen": 2.0},
]


def path_reference(files):
    out = []
    for f in files:
        for pars in PATH_SETS:
            p = feffpath(str(f), **pars)
            path2chi(p)
            out.append({"file": str(f.relative_to(OUT)), "parameters": pars,
                        "reff": p.reff, "degen": p.degen, "nleg": p.nleg,
                        "k": p.k.tolist(), "chi": p.chi.tolist()})
    return out


CASES = {}


def case(name, model):
    CASES[name] = model


FIRST = {"feff": "../feff6/tacl6/feff0001.dat", "s02": "amp*n1/6", "e0": "de0", "deltar": "dr", "sigma2": "ss1"}
TR1 = {"kmin": 3, "kmax": 14, "dk": 1, "window": "hanning", "kweight": 2, "rmin": 1.3, "rmax": 3.0}
DATA0 = "../../../../../SampleSpectra/simulated/tacl6_bend00.chi"
DATA20 = "../../../../../SampleSpectra/simulated/tacl6_bend20.chi"
P1 = {"amp": {"guess": 0.8}, "de0": {"guess": 1.0}, "dr": {"guess": 0.01}, "ss1": {"guess": 0.003}, "n1": {"value": 6}}

case("tacl6-first-shell", {"parameters": P1, "datasets": [
    {"data": DATA0, "paths": [FIRST], "transform": dict(TR1, fit_space="r")}]})
case("tacl6-first-shell-k", {"parameters": P1, "datasets": [
    {"data": DATA0, "paths": [FIRST], "transform": dict(TR1, fit_space="k")}]})
case("tacl6-first-shell-q", {"parameters": P1, "datasets": [
    {"data": DATA0, "paths": [FIRST], "transform": dict(TR1, fit_space="q")}]})
case("tacl6-kweights", {
    "parameters": {"amp": {"guess": 0.9}, "de0": {"guess": 0}, "alpha": {"guess": 0},
                   "ss1": {"guess": 0.003}, "ss2": {"expr": "2*ss1"}, "n1": {"value": 6}},
    "datasets": [{"data": DATA0,
                  "paths": [{"feff": "../feff6/tacl6/feff0001.dat", "s02": "amp*n1/6", "e0": "de0",
                             "deltar": "alpha*reff", "sigma2": "ss1"}],
                  "transform": {"kmin": 3, "kmax": 14, "dk": 1, "window": "hanning", "kweight": [1, 2, 3],
                                "rmin": 1.3, "rmax": 3.0, "fit_space": "r"}}]})


def ms_paths():
    files = sorted((OUT / "feff6/tacl6").glob("feff*.dat"))
    paths = []
    for f in files:
        p = feffpath(str(f))
        atoms = {g[0] for g in p.geom[1:]}
        if p.reff > 5.0:
            continue
        entry = {"feff": f"../feff6/tacl6/{f.name}", "s02": "amp", "e0": "de0", "deltar": "alpha*reff"}
        if p.nleg == 2 and atoms == {"Cl"}:
            entry["sigma2"] = "ss1"
        elif p.nleg == 2:
            entry["sigma2"] = "ss2"
        else:
            entry["sigma2"] = "ssms"
        paths.append(entry)
    return paths


def two_datasets():
    pars = {"amp": {"guess": 0.8}, "de0": {"guess": 1.0}, "dr_a": {"guess": 0.0}, "dr_b": {"guess": 0.0},
            "ss_a": {"guess": 0.003}, "ss_b": {"expr": "ss_a + dss"}, "dss": {"guess": 0.001}}
    def ds(data, dr, ss):
        return {"data": data, "paths": [{"feff": "../feff6/tacl6/feff0001.dat", "s02": "amp", "e0": "de0",
                                         "deltar": dr, "sigma2": ss}],
                "transform": {"kmin": 3, "kmax": 13, "dk": 1, "window": "hanning", "kweight": 2,
                              "rmin": 1.4, "rmax": 2.9}}
    return {"parameters": pars, "datasets": [ds(DATA0, "dr_a", "ss_a"), ds(DATA20, "dr_b", "ss_b")]}


def larch_expr(v):
    return v.replace("^", "**") if isinstance(v, str) else v


def run_case(name, model):
    model_dir = OUT / "cases"
    def build_params():
        g = {}
        for pname, spec in model["parameters"].items():
            if "guess" in spec:
                g[pname] = guess(spec["guess"])
            elif "value" in spec:
                g[pname] = param(spec["value"], vary=False)
            else:
                g[pname] = param(expr=larch_expr(spec["expr"]))
        return param_group(**g)

    def build_datasets():
        out = []
        for d in model["datasets"]:
            dat = read_ascii(str((model_dir / d["data"]).resolve()), labels="k chi")
            group = Group(k=dat.k, chi=dat.chi)
            paths = {}
            for i, p in enumerate(d["paths"]):
                kws = {key: larch_expr(val) for key, val in p.items() if key != "feff"}
                paths[f"p{i}"] = feffpath(str((model_dir / p["feff"]).resolve()), **kws)
            tr = dict(d.get("transform", {}))
            if "fit_space" in tr:
                tr["fitspace"] = tr.pop("fit_space")
            out.append(feffit_dataset(data=group, paths=paths, transform=feffit_transform(**tr)))
        return out

    # residual at the starting values, the way feffit's residual function sees it
    from lmfit import Parameters
    params = Parameters()
    specs = model["parameters"]
    for pname, spec in specs.items():
        if "expr" not in spec:
            params.add(pname, value=spec.get("guess", spec.get("value")), vary="guess" in spec)
    for pname, spec in specs.items():
        if "expr" in spec:
            params.add(pname, expr=larch_expr(spec["expr"]))
    dsets = build_datasets()
    for ds in dsets:
        ds.prepare_fit(params)
    resid0 = np.concatenate([ds._residual(params) for ds in dsets])

    dsets = build_datasets()
    pg = build_params()
    result = feffit(pg, dsets)
    pars = {}
    for pname, spec in model["parameters"].items():
        par = result.params[pname]
        if "value" in spec:
            continue
        correl = {k: v for k, v in (par.correl or {}).items()}
        pars[pname] = {"value": par.value, "stderr": par.stderr, "init": spec.get("guess"),
                       "vary": bool(par.vary), "correl": correl}
    stats = {"chi_square": result.chi_square, "reduced_chi_square": result.chi2_reduced,
             "r_factor": result.rfactor, "n_independent": result.n_independent,
             "n_variables": result.nvarys, "n_data_points": result.ndata, "nfev": result.nfev}
    ds_out = []
    for ds in result.datasets:
        paths = []
        for label, p in ds.paths.items():
            v = p.path_paramvals()
            paths.append({"s02": v["s02"], "e0": v["e0"], "deltar": v["deltar"], "sigma2": v["sigma2"],
                          "r": p.reff + v["deltar"], "reff": p.reff, "degen": p.degen})
        eps_k = ds.epsilon_k
        eps_r = ds.epsilon_r
        ds_out.append({"epsilon_k": np.atleast_1d(eps_k).tolist(), "epsilon_r": np.atleast_1d(eps_r).tolist(),
                       "n_idp": ds.n_idp, "paths": paths,
                       "model_k": ds.model.k.tolist(), "model_chi": ds.model.chi.tolist()})
    return {"parameters": pars, "statistics": stats, "datasets": ds_out,
            "residual_start": resid0.tolist()}


def main():
    files = []
    for (name, version), text in clusters().items():
        files += run_feff(name, text, version)
    case("tacl6-multipath-ms", {
        "parameters": {"amp": {"guess": 0.8}, "de0": {"guess": 1.0}, "alpha": {"guess": 0.0},
                       "ss1": {"guess": 0.003}, "ss2": {"guess": 0.005}, "ssms": {"guess": 0.005}},
        "datasets": [{"data": DATA0, "paths": ms_paths(),
                      "transform": {"kmin": 3, "kmax": 14, "dk": 1, "window": "hanning", "kweight": 2,
                                    "rmin": 1.3, "rmax": 5.0}}]})
    case("tacl6-two-datasets", two_datasets())
    (OUT / "path2chi.json").write_text(json.dumps(path_reference(files)))
    (OUT / "cases").mkdir(exist_ok=True)
    results = {}
    for name, model in CASES.items():
        (OUT / "cases" / f"{name}.model.json").write_text(json.dumps(model, indent=1) + "\n")
        results[name] = run_case(name, model)
        r = results[name]
        print(name, {k: (round(v["value"], 6), round(v["stderr"] or 0, 6)) for k, v in r["parameters"].items()},
              "rfactor", r["statistics"]["r_factor"])
    (OUT / "feffit.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
