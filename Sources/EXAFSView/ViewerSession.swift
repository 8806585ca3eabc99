// The viewer's data: the groups of the files named on the command line, processed on request with
// the parameters the browser sends, and the Save / Export actions (file names chosen here, never by the browser).
import EXAFSKit
import Foundation

/// One spectrum the viewer offers: a column file, or one group of an Athena project.
public struct ViewerGroup: Sendable {
  /// Position in the list (the only way the browser names a group).
  public var id: Int
  /// The input file, as given on the command line.
  public var file: String
  /// Athena label of a project group (nil for other files).
  public var label: String?
  /// The spectrum and its stored parameters.
  public var input: SpectrumInput
}

/// What the browser asks for: which groups, and the parameters it set.
public struct ViewerRequest: Sendable, Equatable {
  /// Group ids (`ViewerGroup.id`), in display order.
  public var groups: [Int]
  /// Parameters set in the viewer, by Larch name, as text (they override the stored ones).
  public var given: ParameterValues
  /// Wavelet map of the first group (nil: none).
  public var wavelet: WaveletParameters?
  /// Hinge windows drawn on the map and passed to the command line.
  public var hinge: HingeParameters?

  /// Parses the JSON body `{"groups": [0], "params": {"rbkg": "1.1"}, "wavelet": {"eta": 10,
  /// "sigma": 1}, "shell1": [k1, k2, r1, r2], "hinge": [k1, k2, r1, r2]}`; unknown keys are refused.
  /// - Throws: `EXAFSError.invalidParameter` for malformed or unknown fields.
  public init(json: Data, groupCount: Int) throws {
    guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
      throw EXAFSError.invalidParameter("request", "the body is not a JSON object")
    }
    let known: Set<String> = ["groups", "params", "wavelet", "shell1", "hinge"]
    if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
      throw EXAFSError.invalidParameter(unknown, "unknown field of the request")
    }
    guard let ids = object["groups"] as? [Any], !ids.isEmpty, ids.count <= 64 else {
      throw EXAFSError.invalidParameter("groups", "give 1 to 64 group numbers")
    }
    groups = try ids.map { any in
      guard let n = (any as? NSNumber)?.intValue, (any as? NSNumber)?.doubleValue == Double(n), (0..<groupCount).contains(n)
      else { throw EXAFSError.invalidParameter("groups", "no group \(any)") }
      return n
    }
    given = [:]
    if let params = object["params"] {
      guard let dict = params as? [String: Any] else { throw EXAFSError.invalidParameter("params", "must be an object") }
      for (name, value) in dict {
        guard ProcessingParameter.named(name) != nil else { throw EXAFSError.invalidParameter(name, "unknown parameter") }
        switch value {
        case let s as String: given[name] = s
        case let n as NSNumber: given[name] = n.stringValue
        default: throw EXAFSError.invalidParameter(name, "must be a number or a word")
        }
      }
    }
    if let w = object["wavelet"] as? [String: Any] {
      var p = WaveletParameters()
      if let eta = (w["eta"] as? NSNumber)?.doubleValue { p.eta = eta }
      if let sigma = (w["sigma"] as? NSNumber)?.doubleValue { p.sigma = sigma }
      try p.validate()
      wavelet = p
    }
    func window(_ key: String) throws -> MapWindow? {
      guard let any = object[key] else { return nil }
      guard let v = any as? [NSNumber], v.count == 4 else { throw EXAFSError.invalidParameter(key, "give [kmin, kmax, rmin, rmax]") }
      return MapWindow(kmin: v[0].doubleValue, kmax: v[1].doubleValue, rmin: v[2].doubleValue, rmax: v[3].doubleValue)
    }
    if let s1 = try window("shell1"), let h = try window("hinge") {
      var p = HingeParameters(shell1: s1, hinge: h)
      p.preset = nil
      try p.validate()
      hinge = p
    } else {
      hinge = nil
    }
  }
}

/// The inputs of one `exafs view` run and what the viewer does with them.
public struct ViewerSession: Sendable {
  /// Every group of every input, in command-line order.
  public let groups: [ViewerGroup]
  /// Inputs or groups that could not be read, with the reason.
  public let failures: [String]
  /// Folder that Save and Export write into.
  public let outdir: String

  /// Reads every file (every group of Athena projects) named on the command line.
  public init(files: [String], readOptions: ReadOptions = ReadOptions(), outdir: String) {
    var groups: [ViewerGroup] = []
    var failures: [String] = []
    for file in files {
      do {
        let entries = try SpectrumReader.readEach(path: file, options: readOptions)
        let info = try? SpectrumReader.info(path: file)
        let labels: [String]? =
          info?.format == .athenaProject && info?.groups.count == entries.count ? info?.groups.map(\.label) : nil
        for (i, entry) in entries.enumerated() {
          switch entry {
          case .success(let input):
            groups.append(ViewerGroup(id: groups.count, file: file, label: labels?[i], input: input))
          case .failure(let f): failures.append(f.description)
          }
        }
      } catch {
        failures.append(Batch.describeFailure(error, path: file, spectrum: nil))
      }
    }
    self.groups = groups
    self.failures = failures
    self.outdir = outdir
  }

  /// Settings of `group` for `request`: stored parameters, overridden by the viewer's (recorded
  /// as `ParameterSource.viewer`), plus the wavelet map when asked for.
  public func settings(_ group: ViewerGroup, _ request: ViewerRequest, wavelet: Bool) throws -> ProcessingSettings {
    var s = try ProcessingSettings.resolve(stored: group.input.storedParameters, given: request.given, source: .viewer)
    if wavelet, var w = request.wavelet {
      w.kweight = s.fourier.kweight
      s.wavelet = w
    }
    try s.validate()
    return s
  }

  /// Processes the requested groups (the wavelet map for the first one only, or for all with
  /// `allMaps`); each entry is the result or the error message.
  public func process(_ request: ViewerRequest, allMaps: Bool = false) -> [(ViewerGroup, Result<ProcessedSpectrum, EXAFSFailure>)] {
    request.groups.enumerated().map { index, id in
      let group = groups[id]
      do {
        let result = try EXAFSKit.process(group.input, settings: settings(group, request, wavelet: allMaps || index == 0))
        return (group, .success(result))
      } catch {
        return (group, .failure(EXAFSFailure(message: Batch.describeFailure(error, path: group.file, spectrum: group.label))))
      }
    }
  }

  /// "Save": the requested groups with the viewer's parameters as an Athena project
  /// `OUTDIR/viewer.prj`, and the command lines that reproduce the result with `exafs process`.
  /// - Throws: when a group fails or the file cannot be written.
  public func save(_ request: ViewerRequest) throws -> (project: String, commands: [String]) {
    var athena: [AthenaGroup] = []
    var used: Set<String> = []
    for (_, result) in process(request) {
      var spectrum = try result.get()
      spectrum.name = Batch.uniqueName(spectrum.name, &used)
      athena.append(spectrum.athenaGroup)
    }
    try FileManager.default.createDirectory(atPath: outdir, withIntermediateDirectories: true)
    let project = (outdir as NSString).appendingPathComponent("viewer.prj")
    try AtomicWriter.write(try AthenaProject.write(groups: athena), to: project)
    let reprocessed = (outdir as NSString).appendingPathComponent("reprocessed")
    var commands = [shellCommand(["exafs", "process", project, "-o", reprocessed])]
    commands += commandLines(request, outdir: (outdir as NSString).appendingPathComponent("process"))
    return (project, commands)
  }

  /// `exafs process` command lines, one per input file, that process the original inputs with the
  /// viewer's parameters: every parameter set in the viewer as its table option
  /// (`ProcessingParameter.flag`), the groups by label, the map and hinge windows.
  public func commandLines(_ request: ViewerRequest, outdir: String) -> [String] {
    var files: [String] = []
    var labels: [String: [String]] = [:]
    for id in request.groups {
      let g = groups[id]
      if !files.contains(g.file) { files.append(g.file) }
      if let label = g.label { labels[g.file, default: []].append(label) }
    }
    var options: [String] = []
    for p in ProcessingParameter.all {
      if let value = request.given[p.name], !value.trimmingCharacters(in: .whitespaces).isEmpty { options += [p.flag, value] }
    }
    if let w = request.wavelet {
      options += ["--wavelet", "morlet", "--eta", format(w.eta), "--sigma", format(w.sigma)]
    }
    if let h = request.hinge {
      options += ["--shell1-window", h.shell1.commandLineText, "--hinge-window", h.hinge.commandLineText]
    }
    return files.map { file in
      var words = ["exafs", "process", file]
      for label in labels[file] ?? [] { words += ["--group", label] }
      return shellCommand(words + options + ["-o", outdir])
    }
  }

  /// "Export": NAME.nor, NAME.chik, NAME.chir, NAME.wavelet and NAME.json of every requested group
  /// (their provenance says `viewer` for the parameters set here) and summary.csv, in OUTDIR.
  /// - Returns: the names of the files written.
  public func export(_ request: ViewerRequest) throws -> [String] {
    try FileManager.default.createDirectory(atPath: outdir, withIntermediateDirectories: true)
    var used: Set<String> = []
    var outcomes: [SpectrumOutcome] = []
    var written: [String] = []
    for (group, result) in process(request, allMaps: true) {
      switch result {
      case .success(var spectrum):
        spectrum.name = Batch.uniqueName(spectrum.name, &used)
        let files = try spectrum.outputFiles()
        try Batch.writeAll(files, in: outdir)
        outcomes.append(SpectrumOutcome(record: spectrum.record, files: files.map(\.name), keepRecord: false))
        written += files.map(\.name)
      case .failure(let f):
        outcomes.append(SpectrumOutcome(failed: group.input.name, source: group.file, message: f.message))
      }
    }
    try AtomicWriter.write(Batch.summaryCSV(outcomes), to: (outdir as NSString).appendingPathComponent("summary.csv"))
    return written + ["summary.csv"]
  }
}

/// An error message as the viewer shows it.
public struct EXAFSFailure: Error, Sendable {
  public var message: String
}

extension MapWindow {
  /// `kmin:kmax,rmin:rmax`, as `--hinge-window` reads it.
  var commandLineText: String { "\(format(kmin)):\(format(kmax)),\(format(rmin)):\(format(rmax))" }
}

/// Shortest text that reads back as `x`.
func format(_ x: Double) -> String {
  x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}

/// Words joined into a POSIX shell command, quoted where needed.
func shellCommand(_ words: [String]) -> String {
  words.map { w in
    let safe = w.allSatisfy { $0.isLetter || $0.isNumber || "-_./:,=+@%".contains($0) } && !w.isEmpty
    return safe ? w : "'" + w.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }.joined(separator: " ")
}
