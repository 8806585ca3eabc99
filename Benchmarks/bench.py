#!/usr/bin/env python3
"""Side-by-side benchmark: EXAFSKit (`exafs process`) against xraylarch on the same batch.

Builds a batch of scans from the bundled samples (real Cu, Fe and W foil scans and the simulated
Ta L3 scans, each repeated with fresh noise so that every file is different), then times, as whole
processes started from this script in one run:
  * Larch: a Python process that imports larch and, for every scan, reads it, runs pre_edge,
    autobk, xftf and cauchy_wavelet;
  * EXAFSKit: `exafs process BATCH --wavelet morlet` (read, normalize, AUTOBK, FT, Morlet map,
    all outputs written), using both cores; and the same with --no-wavelet-grid, which computes
    the map but does not write it as text (Larch's run writes nothing at all).
Each of the three runs is repeated (--repeat, default 3, every exafs run into a fresh folder) and
the median is compared, so one noisy run on a shared machine does not decide the ratio; every
run's time is printed. Prints both times, the ratio, and the time per stage for one spectrum from
each program.

Usage: python3 Benchmarks/bench.py [--scans N] [--repeat R] [--workdir DIR] [--exafs .build/release/exafs]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = [  # (file, how to get energy and mu)
    ('SampleSpectra/cu_metal_rt.xdi', 'xdi'),
    ('SampleSpectra/Fe_metal_rt_01.xdi', 'xdi'),
    ('SampleSpectra/W_metal_rt_01.xdi', 'xdi'),
    ('SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat', 'dat'),
    ('SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat', 'dat'),
]

LARCH_SCRIPT = r'''
import sys, time, glob
t0 = time.time()
import numpy as np
from larch import Group
from larch.xafs import pre_edge, autobk, xftf, cauchy_wavelet
t_import = time.time() - t0
files = sorted(glob.glob(sys.argv[1] + '/*.dat'))
stage = {'read': 0, 'pre_edge': 0, 'autobk': 0, 'xftf': 0, 'cauchy_wavelet': 0}
for f in files:
    t = time.time(); d = np.loadtxt(f); g = Group(energy=d[:, 0], mu=np.log(d[:, 1] / d[:, 2])); stage['read'] += time.time() - t
    t = time.time(); pre_edge(g); stage['pre_edge'] += time.time() - t
    t = time.time(); autobk(g, rbkg=1.0, kweight=1); stage['autobk'] += time.time() - t
    t = time.time(); xftf(g, kmin=2, kmax=max(3, g.k[-1] - 1), dk=1, window='hanning', kweight=2); stage['xftf'] += time.time() - t
    t = time.time(); cauchy_wavelet(g, kweight=2, rmax_out=6); stage['cauchy_wavelet'] += time.time() - t
print('IMPORT %.4f' % t_import)
for k, v in stage.items():
    print('STAGE %s %.4f' % (k, 1000 * v / len(files)))
'''


def make_batch(folder, nscans):
    """Writes nscans three-column files (energy i0 it) with independent noise of 2e-4 in mu."""
    rng = np.random.default_rng(12345)
    spectra = []
    for path, kind in SOURCES:
        full = os.path.join(ROOT, path)
        if kind == 'xdi':
            rows = [l.split() for l in open(full) if l.strip() and not l.startswith('#')]
            data = np.array(rows, dtype=float)
            header = [l for l in open(full) if l.startswith('# Column.')]
            names = [h.split(':')[1].split()[0].lower() for h in header]
            e = data[:, names.index('energy')]
            i0 = data[:, names.index('i0')]
            it = data[:, names.index('itrans')]
        else:
            data = np.loadtxt(full)
            e, i0, it = data[:, 0], data[:, 1], data[:, 2]
        spectra.append((e, i0, it))
    for n in range(nscans):
        e, i0, it = spectra[n % len(spectra)]
        it_noisy = it * np.exp(-rng.normal(0, 2e-4, len(it)))
        np.savetxt(os.path.join(folder, 'scan_%04d.dat' % n), np.c_[e, i0, it_noisy],
                   header='energy i0 it', fmt='%.6f')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scans', type=int, default=120)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--workdir', default=None, help='parent folder for the batch and outputs (default .build/bench)')
    ap.add_argument('--exafs', default=os.path.join(ROOT, '.build/release/exafs'))
    args = ap.parse_args()
    if args.repeat < 1:
        sys.exit('--repeat must be at least 1')
    # The batch and every output go to a fresh folder on the project's disk (.build/bench/), as
    # a user's output folder would: /tmp on a long-running machine may have thousands of
    # recently deleted inodes, which makes ext4 slow to create files (seen here: 0.5 ms a file).
    parent = args.workdir or os.path.join(ROOT, '.build', 'bench')
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix='exafs-bench-', dir=parent)
    batch = os.path.join(work, 'batch')
    os.makedirs(batch)
    make_batch(batch, args.scans)
    script = os.path.join(work, 'larch_batch.py')
    open(script, 'w').write(LARCH_SCRIPT)

    def run_larch():
        t = time.time()
        larch = subprocess.run([sys.executable, script, batch], capture_output=True, text=True)
        if larch.returncode != 0:
            sys.exit('Larch run failed:\n' + larch.stderr)
        return time.time() - t, larch

    def run_exafs(extra, out):
        t = time.time()
        ours = subprocess.run([args.exafs, 'process', batch, '--wavelet', 'morlet', '--mu', 'ln(i0/it)',
                               '-o', os.path.join(work, out)] + extra, capture_output=True, text=True)
        if ours.returncode != 0:
            sys.exit('exafs run failed:\n' + ours.stderr)
        return time.time() - t

    # Interleaved, so that a slow phase of the machine hits all three alike.
    larch_times, all_times, lean_times = [], [], []
    for rep in range(args.repeat):
        t, larch = run_larch()
        larch_times.append(t)
        all_times.append(run_exafs([], f'out-all-{rep}'))
        lean_times.append(run_exafs(['--no-wavelet-grid'], f'out-lean-{rep}'))
    t_larch = statistics.median(larch_times)
    t_ours = statistics.median(all_times)
    t_lean = statistics.median(lean_times)
    timing = subprocess.run([args.exafs, 'timing', os.path.join(batch, 'scan_0000.dat'), '--mu', 'ln(i0/it)'],
                            capture_output=True, text=True).stdout

    print(f'Batch: {args.scans} scans (Cu, Fe, W foils and simulated Ta L3, each with fresh noise), '
          f'{os.cpu_count()} cores')
    def runs(times):
        return ', '.join(f'{t:.2f}' for t in times)

    print(f'Median of {args.repeat} runs each (all runs in brackets):')
    print(f'Larch 2026.3.1 (pre_edge, autobk, xftf, cauchy_wavelet; one process): {t_larch:8.2f} s'
          f'   [{runs(larch_times)}]')
    print(f'exafs process, every output incl. the wavelet text grid (~0.6 MB/scan): {t_ours:8.2f} s'
          f'   ratio {t_larch / t_ours:.1f}x   [{runs(all_times)}]')
    print(f'exafs process --no-wavelet-grid (map computed, .nor/.chik/.chir/.json):   {t_lean:8.2f} s'
          f'   ratio {t_larch / t_lean:.1f}x   [{runs(lean_times)}]')
    print()
    print('Per stage, one spectrum (ms):')
    print('  Larch (mean over the batch):')
    for line in larch.stdout.splitlines():
        if line.startswith('STAGE'):
            _, name, ms = line.split()
            print(f'    {name:30s} {float(ms):9.3f} ms')
        if line.startswith('IMPORT'):
            print(f'    {"import larch":30s} {1000 * float(line.split()[1]):9.1f} ms (once)')
    print('  exafs (scan_0000, mean over repetitions):')
    for line in timing.splitlines():
        print('    ' + line)
    shutil.rmtree(work)


if __name__ == '__main__':
    main()
