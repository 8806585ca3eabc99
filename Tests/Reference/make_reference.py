#!/usr/bin/env python3
"""Compute Larch reference results for every sample in SampleSpectra/ and write
JSON fixtures to Tests/EXAFSKitTests/Fixtures/larch/.

Run from the repository root:

    python3 Tests/Reference/make_reference.py

Needs xraylarch (pip install xraylarch==2026.3.1). The fixtures are committed, so the
Swift tests never need Python; rerun this script only when a sample or the reference
recipe changes, and commit the regenerated fixtures together with the change.

Sample table
------------
Every data file in SampleSpectra/ must appear in SAMPLES below (the script stops if
one is missing), so the mapping from file to mu(E) or chi(k) is explicit:

  file (relative to SampleSpectra/)                 reader       kind    mu(E) / chi(k)
  ------------------------------------------------  -----------  ------  -----------------------------
  cu_metal_rt.xdi                                   read_xdi     mu      ln(i0/itrans)   (== mutrans column)
  Fe_metal_rt_01.xdi                                read_xdi     mu      ln(i0/itrans)
  W_metal_rt_01.xdi                                 read_xdi     mu      ln(i0/itrans)   (columns: energy itrans i0)
  W_metal_rt_02.xdi                                 read_xdi     mu      ln(i0/itrans)
  W_metal_rt_03.xdi                                 read_xdi     mu      ln(i0/itrans)
  W_metal_rt_scans.prj                              read_athena  mu      each group's stored @y (= ln(i0/itrans))
  simulated/tacl6_bendNN_sim_transmission.dat       read_ascii   mu      ln(i0/it)       (NN = 00, 10, 20, 30)
  simulated/tacl6_bendNN.chi                        read_ascii   chi     columns k, chi  (NN = 00, 10, 20, 30)

Recipe (Larch 2026.3.1 defaults unless stated)
----------------------------------------------
mu(E) samples:
    pre_edge(energy, mu, group=g)                      # all defaults
    autobk(g, rbkg=1.0, kweight=1)                     # other args default
    xftf(g, kmin=2.0, kmax=KMAX, dk=1.0, window='hanning', kweight=2, rmax_out=10)
chi(k) samples:
    xftf(g, ...same...) on the file's own k grid
with KMAX = min(16, floor(max(g.k)) - 1).  Then for every sample
    cauchy_wavelet(g, kweight=2, rmax_out=6)

Outputs per sample NAME (file stem, or <prj stem>_<group label> for project groups):
    NAME.json          parameters read back from the group + arrays (10 significant digits):
                       energy mu norm flat bkg pre_edge_line post_edge_curve k chi r chir_mag chir_re chir_im
    NAME.cauchy.json   Cauchy wavelet magnitude, one row per R (6 significant digits)
and for a project file STEM.prj:
    STEM.athena.json   the groups as larch.io.read_athena sees them (labels, stored args,
                       datatype, number of points, first/last x and y)
"""
import json
import math
import re
import sys
from pathlib import Path

import numpy as np

import larch
from larch import Group
from larch.io import read_ascii, read_xdi, read_athena
from larch.xafs import pre_edge, autobk, xftf, cauchy_wavelet, estimate_noise

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "SampleSpectra"
OUT_DIR = ROOT / "Tests" / "EXAFSKitTests" / "Fixtures" / "larch"

# (path relative to SampleSpectra/, reader, kind, mu_expr)
#   reader: 'xdi' -> larch.io.read_xdi, 'ascii' -> larch.io.read_ascii,
#           'athena' -> larch.io.read_athena (one fixture per group)
#   kind:   'mu' (mu(E) data) or 'chi' (chi(k) data)
#   mu_expr: 'ln(a/b)' over the file's column labels, or a single column label;
#            None for chi(k) files (their columns must be labelled k and chi) and for
#            project files (each group's stored mu array, @y, is used).
SAMPLES = [
    ("cu_metal_rt.xdi", "xdi", "mu", "ln(i0/itrans)"),
    ("Fe_metal_rt_01.xdi", "xdi", "mu", "ln(i0/itrans)"),
    ("W_metal_rt_01.xdi", "xdi", "mu", "ln(i0/itrans)"),
    ("W_metal_rt_02.xdi", "xdi", "mu", "ln(i0/itrans)"),
    ("W_metal_rt_03.xdi", "xdi", "mu", "ln(i0/itrans)"),
    ("W_metal_rt_scans.prj", "athena", "mu", None),
    ("simulated/tacl6_bend00_sim_transmission.dat", "ascii", "mu", "ln(i0/it)"),
    ("simulated/tacl6_bend10_sim_transmission.dat", "ascii", "mu", "ln(i0/it)"),
    ("simulated/tacl6_bend20_sim_transmission.dat", "ascii", "mu", "ln(i0/it)"),
    ("simulated/tacl6_bend30_sim_transmission.dat", "ascii", "mu", "ln(i0/it)"),
    ("simulated/tacl6_bend00.chi", "ascii", "chi", None),
    ("simulated/tacl6_bend10.chi", "ascii", "chi", None),
    ("simulated/tacl6_bend20.chi", "ascii", "chi", None),
    ("simulated/tacl6_bend30.chi", "ascii", "chi", None),
]

# files in SampleSpectra/ that are not samples
NOT_SAMPLES = {".md", ".txt"}

AUTOBK_ARGS = dict(rbkg=1.0, kweight=1)
XFTF_KMIN = 2.0
XFTF_KMAX_CAP = 16.0
XFTF_ARGS = dict(dk=1.0, window="hanning", kweight=2, rmax_out=10)
CAUCHY_ARGS = dict(kweight=2, rmax_out=6)


# ---------------------------------------------------------------- helpers

def sig(x, digits):
    """round a float to `digits` significant digits (returns a Python float)"""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x!r} in fixture data")
    return float(f"{x:.{digits}g}")


def arr(a, digits=10):
    return [sig(v, digits) for v in np.asarray(a, dtype=float).ravel()]


def num(x, digits=10):
    """scalar parameter -> JSON value (ints stay ints, floats rounded, None/str kept)"""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    return sig(x, digits)


def eval_mu(expr, columns):
    """evaluate 'ln(a/b)' or 'name' over named columns (no eval())"""
    m = re.fullmatch(r"\s*ln\(\s*(\w+)\s*/\s*(\w+)\s*\)\s*", expr)
    if m:
        a, b = m.groups()
        return np.log(columns[a] / columns[b])
    m = re.fullmatch(r"\s*(\w+)\s*", expr)
    if m:
        return np.asarray(columns[m.group(1)], dtype=float)
    raise ValueError(f"cannot parse mu expression {expr!r}")


def columns_of(dgroup):
    labels = list(dgroup.array_labels)
    return {lab: np.asarray(dgroup.data[i], dtype=float) for i, lab in enumerate(labels)}


def xftf_kmax(k):
    return min(XFTF_KMAX_CAP, math.floor(float(np.max(k))) - 1.0)


def write_json(path, obj, row_keys=()):
    """one top-level key per line; arrays compact; keys in row_keys get one row per line"""
    lines = []
    for key, val in obj.items():
        if key in row_keys:
            rows = ",\n    ".join(json.dumps(r, separators=(",", ":")) for r in val)
            text = "[\n    " + rows + "\n  ]"
        elif isinstance(val, dict):
            text = json.dumps(val, separators=(", ", ": "))
        else:
            text = json.dumps(val, separators=(",", ":"))
        lines.append(f"  {json.dumps(key)}: {text}")
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")


# ---------------------------------------------------------------- processing

def process(g, kind):
    """run the reference recipe on group g (with energy/mu or k/chi); returns fixture dicts"""
    out = {}
    if kind == "mu":
        pre_edge(g.energy, g.mu, group=g)
        autobk(g, **AUTOBK_ARGS)
        pd = g.pre_edge_details
        out["pre_edge"] = {
            "e0": num(g.e0), "edge_step": num(g.edge_step),
            "pre1": num(pd.pre1), "pre2": num(pd.pre2),
            "norm1": num(pd.norm1), "norm2": num(pd.norm2), "nnorm": num(pd.nnorm),
        }
        ca = g.callargs.autobk
        ad = g.autobk_details
        out["autobk"] = {
            "rbkg": num(g.rbkg), "kweight": num(ca["kweight"]),
            "kmin": num(ad.kmin), "kmax": num(ad.kmax),
            "dk": num(ca["dk"]), "win": ca["win"], "nclamp": num(ca["nclamp"]),
            "clamp_lo": num(ca["clamp_lo"]), "clamp_hi": num(ca["clamp_hi"]),
            "nknots": int(ad.nspl),
        }
    else:
        out["pre_edge"] = None
        out["autobk"] = None

    kmax = xftf_kmax(g.k)
    xftf(g, kmin=XFTF_KMIN, kmax=kmax, **XFTF_ARGS)
    cx = g.callargs.xftf
    out["xftf"] = {
        "kmin": num(cx["kmin"]), "kmax": num(cx["kmax"]), "dk": num(cx["dk"]),
        "window": cx["window"], "kweight": num(cx["kweight"]),
        "rmax_out": num(cx["rmax_out"]),
    }
    if kind == "mu":
        for name in ("energy", "mu", "norm", "flat", "bkg"):
            out[name] = arr(getattr(g, name))
        # Larch's pre-edge line and post-edge curve (g.pre_edge, g.post_edge), on the energy grid
        out["pre_edge_line"] = arr(g.pre_edge)
        out["post_edge_curve"] = arr(g.post_edge)
    for name in ("k", "chi", "r", "chir_mag", "chir_re", "chir_im"):
        out[name] = arr(getattr(g, name))
    # Larch's estimate_noise(k, chi) with its defaults (kweight 1, k 0..20, dk 4, R 15..30)
    ng = Group()
    estimate_noise(g.k, g.chi, group=ng)
    out["noise"] = {"epsilon_k": num(ng.epsilon_k), "epsilon_r": num(ng.epsilon_r)}

    cauchy_wavelet(g, **CAUCHY_ARGS)
    cauchy = {
        "kweight": CAUCHY_ARGS["kweight"], "rmax_out": CAUCHY_ARGS["rmax_out"],
        "k": arr(g.k), "r": arr(g.wcauchy_r),
        "wcauchy_mag": [arr(row, 6) for row in np.asarray(g.wcauchy_mag)],
    }
    assert len(cauchy["wcauchy_mag"]) == len(cauchy["r"])
    assert all(len(row) == len(cauchy["k"]) for row in cauchy["wcauchy_mag"])
    return out, cauchy


def emit(name, rel_input, kind, mu_expr, group_label, g, written):
    res, cauchy = process(g, kind)
    fixture = {
        "larch_version": larch.__version__,
        "input": rel_input,
        "kind": kind,
        "mu_expr": mu_expr,
        "group": group_label,
    }
    fixture.update(res)
    p1 = OUT_DIR / f"{name}.json"
    p2 = OUT_DIR / f"{name}.cauchy.json"
    write_json(p1, fixture)
    write_json(p2, cauchy, row_keys=("wcauchy_mag",))
    written.extend([p1, p2])
    summary = f"{name:45s} kind={kind:3s}"
    if kind == "mu":
        summary += (f" e0={res['pre_edge']['e0']:.2f} step={res['pre_edge']['edge_step']:.4g}"
                    f" autobk k=[{res['autobk']['kmin']:.3g},{res['autobk']['kmax']:.4g}]"
                    f" nknots={res['autobk']['nknots']}")
    summary += f" xftf k=[{res['xftf']['kmin']},{res['xftf']['kmax']}]"
    print(summary)


def athena_args(g):
    """the group's stored Athena @args as read_athena keeps them (bkg_*, fft_*, others)"""
    ap = g.athena_params
    out = {}
    for key, val in vars(ap).items():
        if key in ("__name__", "bkg", "fft", "id"):
            continue
        out[key] = val
    for prefix, sub in (("bkg_", ap.bkg), ("fft_", ap.fft)):
        for key, val in vars(sub).items():
            if key != "__name__":
                out[prefix + key] = val
    for key in ("label", "atsym", "edge", "valence", "lasso_yvalue", "epsk", "epsr"):
        if hasattr(g, key):
            out[key] = getattr(g, key)

    def clean(v):
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if isinstance(v, (np.floating, float)):
            return float(v)
        if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
            return int(v)
        return v if isinstance(v, (str, bool)) or v is None else str(v)
    return {k: clean(out[k]) for k in sorted(out)}


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    listed = {rel for rel, *_ in SAMPLES}
    on_disk = {p.relative_to(SAMPLE_DIR).as_posix() for p in SAMPLE_DIR.rglob("*")
               if p.is_file() and p.suffix.lower() not in NOT_SAMPLES}
    missing = sorted(on_disk - listed)
    absent = sorted(listed - on_disk)
    if missing or absent:
        for m in missing:
            print(f"ERROR: {m} is in SampleSpectra/ but not in the SAMPLES table", file=sys.stderr)
        for a in absent:
            print(f"ERROR: {a} is in the SAMPLES table but not in SampleSpectra/", file=sys.stderr)
        return 1

    written = []
    for rel, reader, kind, mu_expr in SAMPLES:
        path = SAMPLE_DIR / rel
        rel_input = path.relative_to(ROOT).as_posix()
        stem = path.stem
        if reader == "athena":
            prj = read_athena(str(path), do_preedge=False)
            groups = []
            for gname, ag in prj.groups.items():
                label = str(getattr(ag, "label", gname))
                groups.append({
                    "name": gname,
                    "label": label,
                    "athena_id": getattr(ag, "athena_id", None),
                    "datatype": getattr(ag, "datatype", None),
                    "npts": int(len(ag.energy)),
                    "x_first": sig(ag.energy[0], 10), "x_last": sig(ag.energy[-1], 10),
                    "y_first": sig(ag.mu[0], 10), "y_last": sig(ag.mu[-1], 10),
                    "args": athena_args(ag),
                })
                g = Group(energy=np.asarray(ag.energy, dtype=float).copy(),
                          mu=np.asarray(ag.mu, dtype=float).copy())
                emit(f"{stem}_{label}", rel_input, kind, "@y (stored mu of the group)",
                     label, g, written)
            p = OUT_DIR / f"{stem}.athena.json"
            p.write_text(json.dumps({"larch_version": larch.__version__,
                                     "input": rel_input, "groups": groups},
                                    indent=1) + "\n")
            written.append(p)
            continue

        dgroup = read_xdi(str(path)) if reader == "xdi" else read_ascii(str(path))
        cols = columns_of(dgroup)
        if kind == "mu":
            energy = cols["energy"]
            g = Group(energy=energy.copy(), mu=eval_mu(mu_expr, cols))
        else:
            g = Group(k=cols["k"].copy(), chi=cols["chi"].copy())
        emit(stem, rel_input, kind, mu_expr, None, g, written)

    stale = sorted(set(OUT_DIR.glob("*.json")) - set(written))
    for s in stale:
        print(f"WARNING: {s.relative_to(ROOT)} was not written by this run (stale?)")
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files to {OUT_DIR.relative_to(ROOT)}, "
          f"{total / 1e6:.2f} MB in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
