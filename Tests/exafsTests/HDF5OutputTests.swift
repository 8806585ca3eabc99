// `exafs process --hdf5`: one HDF5 file per batch, read back with h5py and compared with the text files.
import EXAFSHDF5
import EXAFSKit
import Foundation
import Testing

/// Runs `python3 -c code ARGS...`; returns its exit status, standard output and standard error.
private func python(_ code: String, _ args: [String] = []) throws -> (status: Int32, out: String, err: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", code] + args
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

private let h5pyAvailable: Bool = { (try? python("import h5py, numpy").status) == 0 }()

/// Compares every array of the HDF5 file with the text files next to it: the text holds `%.10g`
/// (columns), `%.6g` (|W| of the wavelet grid) and `%.8g` (its axes), so every HDF5 value formatted the same way must
/// give exactly the number in the text; metrics must equal summary.csv's `%.6g` the same way.
private let compareScript = #"""
import sys, csv, h5py, numpy as np
h5path, outdir = sys.argv[1], sys.argv[2]
def same(a, text, digits, what):
    a = np.asarray(a, dtype=float)
    fmt = np.vectorize(lambda v: float('%.*g' % (digits, v)))
    assert a.shape == text.shape, (what, a.shape, text.shape)
    bad = np.sum(fmt(a) != text)
    assert bad == 0, '%s: %d values differ from the text file' % (what, bad)
f = h5py.File(h5path, 'r')
assert f.attrs['NX_class'] == 'NXroot' and f.attrs['creator'].startswith('EXAFSKit'), dict(f.attrs)
rows = {r['name']: r for r in csv.DictReader(open(outdir + '/summary.csv'))}
names = sorted(f.keys())
assert names == sorted(n for n, r in rows.items() if r['status'] == 'ok'), (names, list(rows))
for name in names:
    g = f[name]
    assert g.attrs['NX_class'] == 'NXentry'
    nor = np.loadtxt(outdir + '/' + name + '.nor')
    for j, col in enumerate(['energy', 'mu', 'norm', 'flat', 'bkg', 'pre_edge', 'post_edge']):
        same(g['mu_e/' + col], nor[:, j], 10, name + ' ' + col)
    chik = np.loadtxt(outdir + '/' + name + '.chik')
    for j, col in enumerate(['k', 'chi', 'kwchi', 'window']):
        same(g['chi_k/' + col], chik[:, j], 10, name + ' ' + col)
    chir = np.loadtxt(outdir + '/' + name + '.chir')
    for j, col in enumerate(['r', 'mag', 're', 'im', 'phase']):
        same(g['chi_r/' + col], chir[:, j], 10, name + ' chir ' + col)
    w = np.loadtxt(outdir + '/' + name + '.wavelet')
    same(g['wavelet/k'], w[0, 1:], 8, name + ' wavelet k')
    same(g['wavelet/r'], w[1:, 0], 8, name + ' wavelet r')
    mag = np.hypot(g['wavelet/re'][()], g['wavelet/im'][()])
    same(mag, w[1:, 1:], 6, name + ' wavelet |W|')
    r = rows[name]
    for attr, column in [('e0', 'e0'), ('edge_step', 'edge_step'), ('kmax_data', 'kmax'),
                         ('first_shell_r', 'first_shell_r'), ('first_shell_mag', 'first_shell_mag'),
                         ('hinge_ratio', 'hinge_ratio'), ('hinge_uncertainty', 'hinge_uncertainty')]:
        assert float('%.6g' % g.attrs[attr]) == float(r[column]), (name, attr, g.attrs[attr], r[column])
    p = g['parameters'].attrs
    assert p['rbkg'] == 1.1 and p['rbkg_source'] == 'command line', (p['rbkg'], p['rbkg_source'])
    assert p['kweight_source'] == 'default'
    assert g.attrs['record'].startswith('{')
print('checked', len(names))
"""#

struct HDF5OutputTests {
  @Test(.enabled(if: h5pyAvailable, "needs python3 with h5py (pip xraylarch brings it; make deps-test installs it)"))
  func batchFileHoldsWhatTheTextFilesHold() throws {
    let out = try temporaryFolder()
    let bad = out.appendingPathComponent("broken.dat")
    try "# energy i0 it\n8900 1 2\n8901 1 oops\n".write(to: bad, atomically: true, encoding: .utf8)
    let target = out.appendingPathComponent("out")
    let h5 = out.appendingPathComponent("batch.h5").path
    let run = try runExafs([
      "process", "SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat",
      "SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat", bad.path, "--mu", "ln(i0/it)",
      "--wavelet", "morlet", "--hinge", "tacl6", "--rbkg", "1.1", "-o", target.path, "--hdf5", h5,
    ])
    #expect(run.status == 1, "one input is broken: \(run.stderr)")
    #expect(run.stdout.contains("HDF5: \(h5) (2 spectra)"), "\(run.stdout)")
    // Only the final file is left (the temporary one was renamed).
    #expect(listing(out) == ["batch.h5", "broken.dat", "out"])
    let check = try python(compareScript, [h5, target.path])
    #expect(check.status == 0, "\(check.err)")
    #expect(check.out == "checked 2\n")
  }

  @Test func fileAppearsOnlyOnCommitAndDiscardLeavesNothing() throws {
    let dir = try temporaryFolder()
    let path = dir.appendingPathComponent("series.h5").path
    let input = try SpectrumReader.readEach(
      path: repositoryRoot.appendingPathComponent("SampleSpectra/cu_metal_rt.xdi").path,
      options: { var o = ReadOptions(); o.mu = "ln(i0/itrans)"; return o }())
    let spectrum = try process(try input[0].get(), settings: ProcessingSettings())
    let file = try HDF5BatchFile(path: path)
    #expect(try file.add(spectrum) == "cu_metal_rt")
    #expect(try file.add(spectrum) == "cu_metal_rt_2", "a second spectrum of the same name gets _2")
    #expect(!FileManager.default.fileExists(atPath: path), "nothing under the final name before commit")
    #expect(FileManager.default.fileExists(atPath: file.temporaryPath))
    #expect(try file.commit() == 2)
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(!FileManager.default.fileExists(atPath: file.temporaryPath))
    #expect(throws: EXAFSError.self) { try file.add(spectrum) }

    let other = try HDF5BatchFile(path: dir.appendingPathComponent("dropped.h5").path)
    try other.add(spectrum)
    other.discard()
    #expect(listing(dir) == ["series.h5"], "a discarded file leaves neither its name nor its temporary file")
  }
}
