#!/usr/bin/env python3
"""Larch reference for the back transform chi(R) -> chi(q) (`exafs process --back-transform`).

Run from the repository root (needs xraylarch 2026.3.1):

    python3 Tests/Reference/make_backtransform_reference.py

Writes Tests/EXAFSKitTests/Fixtures/backtransform/CASE.json for the cases below. Recipe: the
processing of make_reference.py (pre_edge defaults, autobk(rbkg=1, kweight=1) for mu(E);
xftf(kmin=2, kmax=min(16, floor(max k) - 1), dk=1, window='hanning', kweight=2, rmax_out=10)),
then

    xftr(g.r, g.chir, group=g, rmin=RMIN, rmax=RMAX, dr=DR, window=WINDOW, qmax_out=20)

Stored: the parameters, q, chiq_re, chiq_im, chiq_mag (10 significant digits) and rwin.
"""
import json
import math
from pathlib import Path

import numpy as np

import larch
from larch import Group
from larch.io import read_ascii, read_xdi
from larch.xafs import pre_edge, autobk, xftf, xftr

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "EXAFSKitTests" / "Fixtures" / "backtransform"

# (case name, file under SampleSpectra/, kind, xftr arguments)
CASES = [
    ("cu_metal_rt_hanning", "cu_metal_rt.xdi", "mu", dict(rmin=1.0, rmax=3.0, dr=0.5, window="hanning")),
    ("tacl6_bend00_hanning", "simulated/tacl6_bend00.chi", "chi", dict(rmin=1.0, rmax=3.0, dr=0.5, window="hanning")),
    ("tacl6_bend00_kaiser", "simulated/tacl6_bend00.chi", "chi", dict(rmin=1.4, rmax=4.2, dr=0.3, window="kaiser")),
]


def sig(a, digits=10):
    return [float(f"{x:.{digits}g}") for x in np.asarray(a, dtype=float)]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rel, kind, bft in CASES:
        path = ROOT / "SampleSpectra" / rel
        if kind == "mu":
            d = read_xdi(str(path))
            cols = {lab: np.asarray(d.data[i], dtype=float) for i, lab in enumerate(d.array_labels)}
            g = Group(energy=cols["energy"].copy(), mu=np.log(cols["i0"] / cols["itrans"]))
            pre_edge(g.energy, g.mu, group=g)
            autobk(g, rbkg=1.0, kweight=1)
        else:
            d = read_ascii(str(path))
            cols = {lab: np.asarray(d.data[i], dtype=float) for i, lab in enumerate(d.array_labels)}
            g = Group(k=cols["k"].copy(), chi=cols["chi"].copy())
        kmax = min(16.0, math.floor(float(np.max(g.k))) - 1.0)
        xftf(g, kmin=2.0, kmax=kmax, dk=1.0, window="hanning", kweight=2, rmax_out=10)
        xftr(g.r, g.chir, group=g, qmax_out=20, **bft)
        fixture = {
            "larch_version": larch.__version__, "input": "SampleSpectra/" + rel, "kind": kind,
            "xftf": {"kmin": 2.0, "kmax": kmax, "dk": 1.0, "window": "hanning", "kweight": 2},
            "xftr": bft,
            "q": sig(g.q), "chiq_re": sig(g.chiq_re), "chiq_im": sig(g.chiq_im), "chiq_mag": sig(g.chiq_mag),
            "rwin": sig(g.rwin),
        }
        (OUT / f"{name}.json").write_text(json.dumps(fixture) + "\n")
        print(f"{name}: {len(g.q)} q points, max |chiq| {np.max(g.chiq_mag):.4g}")


if __name__ == "__main__":
    main()
