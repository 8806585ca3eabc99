#!/usr/bin/env python3
"""E0 by Athena's methods, computed with numpy on Larch's arrays, for E0MethodsTests.swift:
writes Tests/EXAFSKitTests/Fixtures/e0/e0_reference.json. Run from the repository root:

    python3 Tests/Reference/make_e0_reference.py

For each bundled spectrum (mu as in make_reference.py):
- derivative: Larch's find_e0 (via pre_edge with its defaults);
- zero_crossing: d1 = gradient(mu)/gradient(E), d2 = gradient(d1)/gradient(E) (numpy, unit
  spacing, as Larch's dmude); from the index nearest the derivative E0, the nearest interval
  (i, i+1) with d2[i] >= 0 > d2[i+1] (checking i0+k then i0-k-1, k = 0 ... 25), linearly interpolated;
- half_step: the first point where Larch's norm >= 0.5 at energies <= E0 + 25 eV and the point
  before it, linearly interpolated;
- tabulated: xraydb.xray_edge(element, edge).
"""
import json
from pathlib import Path

import numpy as np
import xraydb
from larch import Group
from larch.io import read_xdi, read_ascii
from larch.xafs import pre_edge
from larch.math.utils import index_nearest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "EXAFSKitTests" / "Fixtures" / "e0" / "e0_reference.json"
CASES = [("cu_metal_rt.xdi", "Cu", "K"), ("Fe_metal_rt_01.xdi", "Fe", "K"), ("W_metal_rt_01.xdi", "W", "L3"),
         ("simulated/tacl6_bend00_sim_transmission.dat", "Ta", "L3")]


def read(name):
    path = str(ROOT / "SampleSpectra" / name)
    if name.endswith(".xdi"):
        d = read_xdi(path)
        return np.asarray(d.energy, float), np.log(np.asarray(d.i0, float) / np.asarray(d.itrans, float))
    d = read_ascii(path, labels="energy i0 it")
    return np.asarray(d.energy, float), np.log(np.asarray(d.i0, float) / np.asarray(d.it, float))


def zero_crossing(energy, mu, e0):
    d2 = np.gradient(np.gradient(mu) / np.gradient(energy)) / np.gradient(energy)
    i0 = index_nearest(energy, e0)
    for k in range(26):
        for i in (i0 + k, i0 - k - 1):
            if 0 <= i < len(energy) - 1 and d2[i] >= 0 > d2[i + 1]:
                t = d2[i] / (d2[i] - d2[i + 1])
                return float(energy[i] + t * (energy[i + 1] - energy[i]))
    return None


def half_step(energy, norm, e0, fraction=0.5):
    for j in range(len(energy)):
        if norm[j] >= fraction and energy[j] <= e0 + 25:
            i = j - 1
            t = (fraction - norm[i]) / (norm[j] - norm[i])
            return float(energy[i] + t * (energy[j] - energy[i]))
    return None


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, element, edge in CASES:
        energy, mu = read(name)
        g = Group(energy=energy, mu=mu)
        pre_edge(g)
        cases.append({"file": f"SampleSpectra/{name}", "element": element, "edge": edge,
                      "derivative": float(g.e0), "zero_crossing": zero_crossing(energy, mu, g.e0),
                      "half_step": half_step(energy, g.norm, g.e0),
                      "tabulated": float(xraydb.xray_edge(element, edge).energy)})
        print(cases[-1])
    OUT.write_text(json.dumps({"larch_version": "2026.3.1", "cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
