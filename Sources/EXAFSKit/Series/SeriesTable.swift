// SeriesTable: a batch as a time series (quick-EXAFS runs, operando series): per spectrum its input
// position, time stamp, e0, edge step, first shell and hinge ratio, for series.csv and trend plots.
import Foundation

/// One spectrum of a series: where it stands in the run and the quantities that trend.
///
/// Values come from the spectrum's `SpectrumRecord` (the numbers of NAME.json). A spectrum that
/// failed has `status` `.failed`, its message, and no values. Uncertainties are given only where
/// the pipeline estimates one: the hinge ratio (Monte Carlo over the measured noise) and the
/// fitted trans angle (chi-square profile). e0, edge step and the first-shell peak have none:
/// they are read off one curve (derivative maximum, fitted lines, |chi(R)| maximum), and the only
/// noise estimate at hand (Larch's estimate_noise) belongs to a different transform. Their columns
/// carry no uncertainty and their plots no bars; see Docs/batch.md, "Series".
public struct SeriesRow: Sendable, Equatable {
  /// Position in the run, 1-based, in input order (the order of summary.csv).
  public var index: Int
  /// Output name (file stem or group label).
  public var name: String
  /// Input file.
  public var source: String
  public var status: SpectrumOutcome.Status
  /// Why the spectrum failed (`.failed`), or its warnings joined by "; " (`.ok`).
  public var message: String
  /// The scan's time, and the metadata field it came from (`ScanTime.metadataFields`).
  public var time: ScanTime?
  public var timeField: String?
  /// Seconds since the earliest time of the table (nil without a time).
  public var elapsed: Double?
  /// Edge energy, eV.
  public var e0: Double?
  /// Edge step, mu units.
  public var edgeStep: Double?
  /// R of the first-shell maximum of |chi(R)|, Å (phase-uncorrected).
  public var firstShellR: Double?
  /// |chi(R)| at the first-shell maximum, Å^-(w+1).
  public var firstShellMag: Double?
  /// Hinge ratio (hinge / first-shell maximum of the wavelet map) and its standard uncertainty;
  /// the uncertainty is nil when it was not estimable (no noise, no realizations).
  public var hingeRatio: Double?
  public var hingeUncertainty: Double?
  /// Fitted trans angle, degrees, and its uncertainty (from NAME.octahedron.json, when present).
  public var transAngle: Double?
  public var transAngleUncertainty: Double?

  /// The row of a processed spectrum's record.
  public init(index: Int, record: SpectrumRecord) {
    self.index = index
    name = record.name
    source = record.source
    status = .ok
    message = record.warnings.joined(separator: "; ")
    if let (t, field) = ScanTime.from(metadata: record.metadata) {
      time = t
      timeField = field
    }
    e0 = record.e0
    edgeStep = record.edgeStep
    firstShellR = record.firstShell?.r
    firstShellMag = record.firstShell?.mag
    if let h = record.hinge {
      hingeRatio = h.ratio
      hingeUncertainty = h.uncertaintyEstimable ? h.uncertainty : nil
    }
  }

  /// The row of a spectrum (or input) that failed: no values.
  public init(index: Int, failed name: String, source: String, message: String) {
    self.index = index
    self.name = name
    self.source = source
    status = .failed
    self.message = message
  }
}

/// What the series is plotted against.
public enum SeriesAxis: String, Sendable, Equatable {
  /// Seconds since the earliest time stamp (every processed spectrum has one).
  case elapsed
  /// The 1-based position in the run (some or all spectra have no time stamp).
  case index
}

/// A batch as a series, one row per spectrum in input order (failed ones included).
public struct SeriesTable: Sendable, Equatable {
  /// The rows, in input order.
  public private(set) var rows: [SeriesRow]

  /// Batches of at least this many spectra (more than a handful) get series.csv, and the report
  /// its trend plots, whenever a report is written, without `--series`.
  public static let automaticMinimum = 6

  /// Whether a batch of `spectra` writes series.csv: `option` true always, false never, nil when a
  /// report is written and there are at least `automaticMinimum` spectra.
  public static func isWritten(option: Bool?, report: Bool, spectra: Int) -> Bool {
    option ?? (report && spectra >= automaticMinimum)
  }

  /// The series of rows in the given order (their indices kept); elapsed times are computed.
  public init(rows: [SeriesRow]) {
    self.rows = rows
    computeElapsed()
  }

  /// The series of a batch's outcomes (in their order, which is input order), indexed 1, 2, 3 ...
  /// Outcomes of processed spectra must carry their record or series row (`SpectrumOutcome.record`,
  /// `.seriesRow`); one with neither becomes a failed row saying so.
  public init(outcomes: [SpectrumOutcome]) {
    self.init(
      rows: outcomes.enumerated().map { i, o in
        if o.status == .ok, let record = o.record { return SeriesRow(index: i + 1, record: record) }
        if o.status == .ok, var row = o.seriesRow {
          row.index = i + 1
          return row
        }
        return SeriesRow(
          index: i + 1, failed: o.name, source: o.source,
          message: o.status == .failed ? (o.message ?? "failed") : "the result record was not kept")
      })
  }

  /// Seconds since the earliest time, for every row with a time.
  mutating func computeElapsed() {
    let start = rows.compactMap { $0.time?.secondsSinceEpoch }.min()
    for i in rows.indices { rows[i].elapsed = start.flatMap { s in rows[i].time.map { $0.secondsSinceEpoch - s } } }
  }

  /// The rows of processed spectra.
  public var processed: [SeriesRow] { rows.filter { $0.status == .ok } }

  /// Elapsed time when at least two spectra were processed and every processed one has a time
  /// stamp; else the scan index.
  public var axis: SeriesAxis {
    let ok = processed
    return ok.count >= 2 && ok.allSatisfy({ $0.time != nil }) ? .elapsed : .index
  }

  /// Why the axis is what it is, and what to watch (mixed time zones), for the report and docs.
  public var notes: [String] {
    let ok = processed
    let timed = ok.filter { $0.time != nil }
    var out: [String] = []
    switch axis {
    case .elapsed:
      let fields = Set(timed.compactMap(\.timeField)).sorted()
      out.append("x axis: time since the earliest time stamp (\(fields.joined(separator: ", ")))")
    case .index:
      if ok.count < 2 {
        out.append("x axis: scan index (fewer than two spectra processed)")
      } else if timed.isEmpty {
        out.append("x axis: scan index (no spectrum has a time stamp: XDI Scan.start_time or a beamline header date)")
      } else {
        out.append("x axis: scan index (\(ok.count - timed.count) of \(ok.count) processed spectra have no time stamp)")
      }
    }
    let zoned = Set(timed.map { $0.time?.utcOffset != nil })
    if zoned.count > 1 {
      out.append("some time stamps give a UTC offset and some do not; those without are counted as UTC")
    }
    if Set(timed.compactMap(\.timeField)).count > 1 {
      out.append("time stamps come from different fields (start and end times mixed)")
    }
    let failed = rows.count - ok.count
    if failed > 0 { out.append("\(failed) spectr\(failed == 1 ? "um" : "a") failed: rows with status failed and no values") }
    return out
  }

  /// Adds the fitted trans angle of every row whose `NAME.octahedron.json` is in `folder` (as
  /// `exafs octahedron` writes it); returns how many were found. Unreadable files are skipped.
  @discardableResult
  public mutating func addTransAngles(fromFolder folder: String) -> Int {
    struct Fit: Decodable {
      struct Angle: Decodable {
        var value: Double
        var uncertainty: Double?
      }
      var trans_angle: Angle
    }
    var found = 0
    for i in rows.indices where rows[i].status == .ok {
      let path = (folder as NSString).appendingPathComponent(rows[i].name + ".octahedron.json")
      guard let data = FileManager.default.contents(atPath: path),
        let fit = try? JSONDecoder().decode(Fit.self, from: data), fit.trans_angle.value.isFinite
      else { continue }
      rows[i].transAngle = fit.trans_angle.value
      rows[i].transAngleUncertainty = fit.trans_angle.uncertainty.flatMap { $0.isFinite ? $0 : nil }
      found += 1
    }
    return found
  }
}
