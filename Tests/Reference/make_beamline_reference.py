#!/usr/bin/env python3
"""Compute Larch's reading and pre_edge of the real beamline files in ../shared/data/real/ and
write Tests/EXAFSKitTests/Fixtures/beamline/beamline_reference.json, used by BeamlineFilesTests.swift.

Run from the repository root (needs xraylarch==2026.3.1 and ../shared/data/real/):

    python3 Tests/Reference/make_beamline_reference.py

Recipe, per file: larch.io.read_ascii (or read_xdi) gives the columns; energy and mu(E) are
taken as in the CASES table (1-based columns as the beamline documents them); the points are
sorted by energy and points with exactly equal energies merged by averaging (the documented
repair EXAFSKit applies to every spectrum, Docs/formats.md), then Larch's pre_edge with its
defaults gives e0 and edge_step. Only these numbers and the point counts are stored, not data.
"""
import json
from pathlib import Path

import numpy as np

from larch import Group
from larch.io import read_ascii, read_xdi
from larch.xafs import pre_edge

REAL = Path("..") / "shared" / "data" / "real"
# file, 1-based energy column, mu(E) as (numerator columns, denominator column, log?)
CASES = [
    ("beamline-formats/pt.stan", 1, ([2], 3, True)),
    ("beamline-formats/x23a2med.dat", 1, ([4, 5, 6, 7], 2, False)),
    ("beamline-formats/MRCAT_10ID_qexafs/goethite.stan", 1, ([2], 3, True)),
    ("beamline-formats/MRCAT_10ID_qexafs/hematite.stan", 1, ([2], 3, True)),
    ("beamline-formats/MRCAT_10ID_qexafs/lepidocrocite.stan", 1, ([2], 3, True)),
    ("beamline-formats/ORP5.000", 3, ([6], 7, True)),
    ("beamline-formats/APS20ID_2022.dat", 1, ([11], 7, False)),
    ("ta-l3/Ta-L3-TantalumOxide.xdi", 1, ([6], 7, True)),
    ("l3-neighbours/Pt-L3-PlatinumFoil.xdi", 1, ([6], 7, True)),
]


def merged(energy, mu):
    order = np.argsort(energy, kind="stable")
    energy, mu = energy[order], mu[order]
    out_e, out_m = [], []
    i = 0
    while i < len(energy):
        j = i
        while j + 1 < len(energy) and energy[j + 1] == energy[i]:
            j += 1
        out_e.append(energy[i])
        out_m.append(float(np.mean(mu[i:j + 1])))
        i = j + 1
    return np.array(out_e), np.array(out_m)


def main():
    out = []
    for name, ecol, (num, den, log) in CASES:
        path = REAL / name
        g = read_xdi(str(path)) if name.endswith(".xdi") else read_ascii(str(path), sort=False)
        data = np.array(g.data) if not name.endswith(".xdi") else np.array([getattr(g, a) for a in g.array_labels])
        ratio = sum(data[c - 1] for c in num) / data[den - 1]
        mu = np.log(ratio) if log else ratio
        energy, mu = merged(data[ecol - 1], mu)
        grp = Group()
        pre_edge(energy, mu, group=grp)
        out.append({"file": name, "energy_column": ecol, "points": int(len(energy)),
                    "e0": float(grp.e0), "edge_step": float(grp.edge_step)})
        print(name, len(energy), grp.e0, grp.edge_step)
    target = Path("Tests/EXAFSKitTests/Fixtures/beamline/beamline_reference.json")
    target.write_text(json.dumps({"larch": "2026.3.1", "cases": out}, indent=1) + "\n")


if __name__ == "__main__":
    main()
