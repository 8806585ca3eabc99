#!/usr/bin/env python3
"""Compute Larch's rebin_xafs on real scans of SampleSpectra/ and write the JSON fixture
Tests/EXAFSKitTests/Fixtures/scantools/rebin_reference.json used by RebinTests.swift.

Run from the repository root:

    python3 Tests/Reference/make_rebin_reference.py

Needs xraylarch (pip install xraylarch==2026.3.1). The fixture is committed, so the Swift
tests never need Python; rerun this only when a case below or Larch's rebin_xafs changes.

Recipe
------
For every case: read the XDI file with larch.io.read_xdi, mu = ln(i0/itrans), E0 from
pre_edge (Larch's find_e0), then

    rebin_xafs(energy, mu, group=g, e0=E0, method=METHOD, **EXTRA)

and store E0, the arguments and g.rebinned.energy / mu / delta_mu (full double precision;
NaN written as null). The Swift test passes the same E0 and arguments to `rebin`.
"""
import json
import math
from pathlib import Path

import numpy as np

import larch
from larch import Group
from larch.io import read_xdi
from larch.xafs import pre_edge
from larch.xafs.rebin_xafs import rebin_xafs

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "EXAFSKitTests" / "Fixtures" / "scantools" / "rebin_reference.json"

# name, file in SampleSpectra/, method, extra keyword arguments of rebin_xafs
CASES = [
    ("W01_boxcar", "W_metal_rt_01.xdi", "boxcar", {}),
    ("W01_centroid", "W_metal_rt_01.xdi", "centroid", {}),
    ("W01_spline", "W_metal_rt_01.xdi", "spline", {}),
    ("W01_custom", "W_metal_rt_01.xdi", "boxcar",
     {"pre2": -20, "pre_step": 5, "xanes_step": 0.5, "exafs1": 20, "exafs_kstep": 0.1}),
    ("Cu_boxcar", "cu_metal_rt.xdi", "boxcar", {}),
]


def numbers(values):
    """Floats at full precision (shortest round-trip text), NaN as None."""
    return [None if not math.isfinite(v) else float(v) for v in np.asarray(values, dtype=float)]


def main():
    cases = []
    for name, filename, method, extra in CASES:
        data = read_xdi(str(ROOT / "SampleSpectra" / filename))
        energy = np.asarray(data.energy, dtype=float)
        mu = np.log(np.asarray(data.i0, dtype=float) / np.asarray(data.itrans, dtype=float))
        g = Group(energy=energy, mu=mu)
        pre_edge(g)
        rebin_xafs(energy, mu, group=g, e0=g.e0, method=method, **extra)
        r = g.rebinned
        cases.append({
            "name": name, "input": f"SampleSpectra/{filename}", "mu_expr": "ln(i0/itrans)",
            "e0": float(g.e0), "method": method, "arguments": extra,
            "energy": numbers(r.energy), "mu": numbers(r.mu), "delta_mu": numbers(r.delta_mu),
        })
        print(f"{name}: {len(energy)} -> {len(r.energy)} points, e0 = {g.e0}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = {"larch_version": larch.__version__, "cases": cases}
    OUT.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
