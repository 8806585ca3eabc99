// Stop signals (SIGINT, SIGTERM, SIGHUP) during a batch: remembered, so the batch ends cleanly instead of dying mid-write.
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The first stop signal received, once `install()` has run; the batch asks it before every spectrum.
enum StopSignals {
  static let received = Atomic<Int32>(0)

  /// Replaces the default action (die at once, leaving temporaries and spectra with some of their
  /// files) of SIGINT, SIGTERM and SIGHUP by remembering the first one.
  static func install() {
    received.store(0, ordering: .relaxed)
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      _ = signal(sig) { s in _ = StopSignals.received.compareExchange(expected: 0, desired: s, ordering: .relaxed) }
    }
  }

  /// The signal received, 0 for none.
  static var current: Int32 { received.load(ordering: .relaxed) }

  /// Whether the batch should stop.
  @Sendable static func shouldStop() -> Bool { current != 0 }

  /// Name of a stop signal for messages.
  static func name(_ sig: Int32) -> String {
    switch sig {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(sig)"
    }
  }
}
