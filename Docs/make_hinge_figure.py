#!/usr/bin/env python3
"""Draws Docs/images/hinge-ratio-vs-angle.png from two `exafs compare` runs on the simulated
TaCl6 spectra (run from the repository root after `swift build -c release`; needs matplotlib):

    exafs compare SampleSpectra/simulated/tacl6_bend{00,10,20,30}.chi --hinge tacl6 -o /tmp/h-chi
    exafs compare SampleSpectra/simulated/tacl6_bend{00,10,20,30}_sim_transmission.dat --hinge tacl6 -o /tmp/h-dat
    python3 Docs/make_hinge_figure.py /tmp/h-chi/comparison.csv /tmp/h-dat/comparison.csv
"""
import csv, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

angles = [180, 170, 160, 150]
fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
for path, label, marker in zip(sys.argv[1:3], ['FEFF chi(k) files', 'simulated transmission scans (noise 2e-4)'], ['o', 's']):
    rows = list(csv.DictReader(open(path)))
    ratio = [float(r['hinge_ratio']) for r in rows]
    unc = [float(r['hinge_uncertainty'] or 0) for r in rows]
    ax.errorbar(angles, ratio, yerr=[2 * u for u in unc], marker=marker, capsize=4, label=label)
ax.set_xlabel('trans Cl–Ta–Cl angle (degrees)')
ax.set_ylabel('hinge ratio (Morlet |W|, hinge / first shell)')
ax.set_title('Hinge ratio of simulated TaCl6 vs bend (tacl6 preset)\nerror bars: ±2σ from noise (Monte Carlo)', fontsize=10)
ax.invert_xaxis()
ax.grid(alpha=0.3)
ax.legend(fontsize=9)
fig.tight_layout()
fig.savefig('Docs/images/hinge-ratio-vs-angle.png')
