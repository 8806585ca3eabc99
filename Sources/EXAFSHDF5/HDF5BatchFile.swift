// HDF5BatchFile: one HDF5 file per batch holding every processed spectrum (arrays, wavelet map,
// summary metrics, parameters), written to a temporary file and renamed into place at the end.
import CHDF5
import EXAFSKit
import Foundation
import Synchronization

/// One HDF5 file holding every spectrum of a batch (layout in Docs/hdf5.md).
///
/// Spectra are added from any thread (`add(_:)`, e.g. as the batch's `spectrumSink`); the file is
/// built under a temporary name next to `path` and appears at `path` only on `commit()`, so an
/// interrupted or failed batch never leaves a half-written file under the final name.
/// Debian's libhdf5 is the serial (not thread-safe) build: every HDF5 call of the process goes
/// through one lock.
public final class HDF5BatchFile: Sendable {
  /// Final path of the file.
  public let path: String
  /// Where the file is built until `commit()`.
  public let temporaryPath: String
  private let state: Mutex<State>

  private struct State: ~Copyable {
    var file: hid_t
    var open = true
    var groupNames: Set<String> = []
    var count = 0
    /// The shard file each group was copied from (`addEntries(from:)`).
    var origins: [String: String] = [:]
  }

  /// Every HDF5 call of the process, in order (serial libhdf5).
  private static let library = Mutex<Bool>(false)

  /// Starts the file: creates the temporary file and writes the root's provenance attributes.
  /// - Parameter provenance: extra text attributes of the root group (e.g. `command`).
  /// - Throws: `EXAFSError.writeFailed` when the file cannot be created.
  public init(path: String, provenance: [String: String] = [:]) throws {
    self.path = path
    let dir = (path as NSString).deletingLastPathComponent
    let base = (path as NSString).lastPathComponent
    temporaryPath = (dir.isEmpty ? "" : dir + "/") + ".\(base).tmp-\(ProcessInfo.processInfo.processIdentifier)"
    let tmp = temporaryPath
    let file: hid_t = try Self.library.withLock { opened in
      if !opened {
        guard exafs_h5_open() == 0 else {
          let reason = String(cString: exafs_h5_load_error())
          throw EXAFSError.writeFailed(path, reason.isEmpty ? "the HDF5 library could not be initialised" : reason)
        }
        opened = true
      }
      let file = exafs_h5_create_file(tmp)
      guard file >= 0 else { throw EXAFSError.writeFailed(path, "HDF5 could not create \(tmp)") }
      var attrs: [(String, String)] = [
        ("NX_class", "NXroot"), ("creator", "EXAFSKit \(exafsKitVersion)"),
        ("file_name", base), ("file_time", ISO8601DateFormatter().string(from: Date())),
        ("layout", "EXAFSKit batch 1: one NXentry group per spectrum; see Docs/hdf5.md"),
      ]
      attrs += provenance.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
      for (k, v) in attrs where exafs_h5_attr_string(file, k, v) != 0 {
        _ = exafs_h5_close_file(file)
        unlink(tmp)
        throw EXAFSError.writeFailed(path, "HDF5 could not write the attribute \(k)")
      }
      return file
    }
    // Registered as protected, so that a batch writing into the same folder does not remove it as
    // the stale temporary of an interrupted run (it is our live one).
    OutputChecks.protectInputs([tmp])
    state = Mutex(State(file: file))
  }

  deinit { discard() }

  /// Number of spectra added so far.
  public var count: Int { state.withLock { $0.count } }

  /// Adds one processed spectrum as a group named after it ("/" in names becomes "_"; a name
  /// already in the file gets `_2`, `_3` ...). Returns the group's name.
  /// - Throws: `EXAFSError.writeFailed` when HDF5 fails (the file is then unusable: `commit()` throws).
  @discardableResult
  public func add(_ spectrum: ProcessedSpectrum, record: SpectrumRecord? = nil) throws -> String {
    let record = record ?? spectrum.record
    let json = String(decoding: try record.json(), as: UTF8.self)
    return try state.withLock { s in
      guard s.open else { throw EXAFSError.writeFailed(path, "the HDF5 file is already closed") }
      var name = spectrum.name.replacingOccurrences(of: "/", with: "_")
      if name.isEmpty || name == "." { name = "_" }
      name = Batch.uniqueName(name, &s.groupNames)
      let file = s.file
      let finalPath = path
      try Self.library.withLock { _ in
        try Writer(path: finalPath).spectrum(spectrum, record: record, json: json, group: name, in: file)
      }
      s.count += 1
      return name
    }
  }

  /// Closes the file and renames it to `path` (replacing an older file there). Returns the number
  /// of spectra it holds.
  /// - Throws: `EXAFSError.writeFailed`; the temporary file is then removed.
  @discardableResult
  public func commit() throws -> Int {
    try state.withLock { s in
      guard s.open else { throw EXAFSError.writeFailed(path, "the HDF5 file is already closed") }
      s.open = false
      let file = s.file
      let closed = Self.library.withLock { _ in exafs_h5_close_file(file) }
      guard closed == 0 else {
        unlink(temporaryPath)
        throw EXAFSError.writeFailed(path, "HDF5 could not close the file")
      }
      guard rename(temporaryPath, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporaryPath)
        throw EXAFSError.writeFailed(path, reason)
      }
      return s.count
    }
  }

  /// Closes and removes the temporary file without publishing it (no effect after `commit()`).
  public func discard() {
    state.withLock { s in
      guard s.open else { return }
      s.open = false
      let file = s.file
      _ = Self.library.withLock { _ in exafs_h5_close_file(file) }
      unlink(temporaryPath)
    }
  }
}

extension HDF5BatchFile {
  /// Copies every spectrum group of another batch file (a shard's `--hdf5` file) into this one,
  /// unchanged (HDF5's object copy: datasets, attributes and subgroups); the source's root
  /// attributes are not copied. Returns the names copied, in name order.
  /// - Throws: `EXAFSError.unreadable` when `source` cannot be opened as HDF5, `.malformed` when a
  ///   group's name is already in this file (naming both files), `.writeFailed` when HDF5 fails.
  @discardableResult
  public func addEntries(from source: String) throws -> [String] {
    try state.withLock { s in
      guard s.open else { throw EXAFSError.writeFailed(path, "the HDF5 file is already closed") }
      let destination = s.file
      let names: [String] = try Self.library.withLock { _ in
        let src = exafs_h5_open_file_readonly(source)
        guard src >= 0 else { throw EXAFSError.unreadable(SourceLocation(file: source), "not an HDF5 file HDF5 can open") }
        defer { _ = exafs_h5_close_file(src) }
        let n = exafs_h5_root_count(src)
        guard n >= 0 else { throw EXAFSError.unreadable(SourceLocation(file: source), "HDF5 could not list the root group") }
        var names: [String] = []
        for i in 0..<UInt64(n) {
          var buffer = [CChar](repeating: 0, count: 256)
          var length = exafs_h5_root_name(src, i, &buffer, buffer.count)
          if length >= Int64(buffer.count) {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            length = exafs_h5_root_name(src, i, &buffer, buffer.count)
          }
          guard length >= 0 else { throw EXAFSError.unreadable(SourceLocation(file: source), "HDF5 could not read the name of group \(i + 1)") }
          let name = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
          if s.groupNames.contains(name) {
            throw EXAFSError.malformed(
              SourceLocation(file: source),
              "the group \(name) is also in \(s.origins[name] ?? "an earlier file"); shards cannot see each other's names, so rename one input and re-run its shard")
          }
          guard exafs_h5_copy(src, name, destination) == 0 else { throw EXAFSError.writeFailed(path, "HDF5 could not copy \(name) from \(source)") }
          s.groupNames.insert(name)
          s.origins[name] = source
          names.append(name)
        }
        return names
      }
      s.count += names.count
      return names
    }
  }
}

/// The HDF5 calls for one spectrum (called with the library lock held).
private struct Writer {
  let path: String

  func fail(_ what: String) -> EXAFSError { .writeFailed(path, "HDF5 could not write \(what)") }

  func group(_ name: String, in parent: hid_t, nxClass: String) throws -> hid_t {
    let g = exafs_h5_create_group(parent, name)
    guard g >= 0 else { throw fail("the group \(name)") }
    guard exafs_h5_attr_string(g, "NX_class", nxClass) == 0 else {
      _ = exafs_h5_close_group(g)
      throw fail("the class of \(name)")
    }
    return g
  }

  func text(_ g: hid_t, _ name: String, _ value: String) throws {
    guard exafs_h5_attr_string(g, name, value) == 0 else { throw fail("the attribute \(name)") }
  }

  func number(_ g: hid_t, _ name: String, _ value: Double?) throws {
    guard let value else { return }
    guard exafs_h5_attr_double(g, name, value) == 0 else { throw fail("the attribute \(name)") }
  }

  func integer(_ g: hid_t, _ name: String, _ value: Int) throws {
    guard exafs_h5_attr_int(g, name, Int64(value)) == 0 else { throw fail("the attribute \(name)") }
  }

  func array(_ g: hid_t, _ name: String, _ values: [Double], shape: [Int]? = nil, units: String? = nil) throws {
    let dims = (shape ?? [values.count]).map { hsize_t($0) }
    let rc = values.withUnsafeBufferPointer { buf in
      dims.withUnsafeBufferPointer { d in
        exafs_h5_write_doubles(g, name, Int32(d.count), d.baseAddress, buf.baseAddress, units)
      }
    }
    guard rc == 0 else { throw fail("the dataset \(name)") }
  }

  /// NXdata-style group: `signal` and `axes` name its datasets.
  func data(_ parent: hid_t, _ name: String, signal: String, axes: String, _ body: (hid_t) throws -> Void) throws {
    let g = try group(name, in: parent, nxClass: "NXdata")
    defer { _ = exafs_h5_close_group(g) }
    try text(g, "signal", signal)
    try text(g, "axes", axes)
    try body(g)
  }

  func spectrum(_ s: ProcessedSpectrum, record: SpectrumRecord, json: String, group name: String, in file: hid_t) throws {
    let entry = try group(name, in: file, nxClass: "NXentry")
    defer { _ = exafs_h5_close_group(entry) }
    try text(entry, "name", s.name)
    try text(entry, "source", s.source)
    try text(entry, "kind", record.kind.rawValue)
    try text(entry, "record", json)
    try number(entry, "e0", record.e0)
    try number(entry, "edge_step", record.edgeStep)
    try number(entry, "kmax_data", record.kmaxData)
    try number(entry, "first_shell_r", record.firstShell?.r)
    try number(entry, "first_shell_mag", record.firstShell?.mag)
    try number(entry, "hinge_ratio", record.hinge?.ratio)
    try number(entry, "hinge_uncertainty", record.hinge?.uncertainty)
    if !record.warnings.isEmpty { try text(entry, "warnings", record.warnings.joined(separator: "\n")) }

    let params = try group("parameters", in: entry, nxClass: "NXparameters")
    defer { _ = exafs_h5_close_group(params) }
    for (key, p) in record.parameters.sorted(by: { $0.key < $1.key }) {
      switch p.value {
      case .number(let v): try number(params, key, v)
      case .text(let t): try text(params, key, t)
      case .null: try text(params, key, "")
      }
      try text(params, key + "_source", p.source.rawValue)
    }

    if let n = s.normalized {
      try data(entry, "mu_e", signal: "mu", axes: "energy") { g in
        try array(g, "energy", n.spectrum.energy, units: "eV")
        try array(g, "mu", n.spectrum.mu)
        try array(g, "norm", n.norm)
        try array(g, "flat", n.flat)
        try array(g, "bkg", s.chik.background ?? n.spectrum.mu)
        try array(g, "pre_edge", n.preEdge)
        try array(g, "post_edge", n.postEdge)
        try number(g, "e0", n.e0)
        try number(g, "edge_step", n.edgeStep)
      }
    }
    let r = s.chir
    try data(entry, "chi_k", signal: "chi", axes: "k") { g in
      try array(g, "k", r.k, units: "1/angstrom")
      try array(g, "chi", linearInterpolate(x: s.chik.k, y: s.chik.chi, at: r.k))
      try array(g, "kwchi", r.kwchi)
      try array(g, "window", r.window)
      try number(g, "kweight", r.parameters.kweight)
    }
    try data(entry, "chi_r", signal: "mag", axes: "r") { g in
      try array(g, "r", r.r, units: "angstrom")
      try array(g, "mag", r.mag)
      try array(g, "re", r.re)
      try array(g, "im", r.im)
      try array(g, "phase", r.phase)
      if let pc = r.phaseCorrection { try text(g, "phase_correction", pc) }
    }
    if let map = s.wavelet {
      try data(entry, "wavelet", signal: "re", axes: "r k") { g in
        try array(g, "k", map.k, units: "1/angstrom")
        try array(g, "r", map.r, units: "angstrom")
        try array(g, "re", map.re, shape: [map.rowCount, map.columnCount])
        try array(g, "im", map.im, shape: [map.rowCount, map.columnCount])
        let w = map.parameters
        try text(g, "kind", w.kind.rawValue)
        try text(g, "normalization", w.normalization.rawValue)
        try number(g, "kweight", w.kweight)
        if w.kind == .morlet {
          try number(g, "eta", w.eta)
          try number(g, "sigma", w.sigma)
        }
        if let order = w.cauchyOrder { try integer(g, "cauchy_order", order) }
      }
    }
  }
}
