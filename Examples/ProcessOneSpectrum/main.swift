// Process one spectrum with EXAFSKit: read, normalize, remove the background, transform, make a wavelet map.
import EXAFSKit

let path = CommandLine.arguments.dropFirst().first ?? "SampleSpectra/cu_metal_rt.xdi"
do {
  // 1. Read: column files, XDI and Athena projects give one SpectrumInput per spectrum.
  let inputs = try SpectrumReader.read(path: path, options: ReadOptions(mu: "ln(i0/itrans)"))
  // 2. Parameters by their Larch names; everything else keeps Larch's defaults.
  var settings = try ProcessingSettings.resolve(given: ["rbkg": "1.1", "kweight": "2", "kmin": "3"])
  settings.wavelet = WaveletParameters()  // Morlet, eta = 10, sigma = 1
  // 3. Process: normalization, AUTOBK, Fourier transform and the wavelet map.
  let result = try process(inputs[0], settings: settings)
  // 4. Read the results from the record (the same numbers exafs writes to NAME.json).
  let record = result.record
  print("E0 = \(record.e0 ?? .nan) eV, edge step = \(record.edgeStep ?? .nan)")
  if let shell = record.firstShell { print("first shell: R = \(shell.r) Å, |chi(R)| = \(shell.mag)") }
  if let map = result.wavelet { print("wavelet map: \(map.r.count) R rows x \(map.k.count) k columns") }
} catch let error as EXAFSError {
  print("error: \(error)")
}
