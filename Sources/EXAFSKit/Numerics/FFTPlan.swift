// FFTW plans: created once per size and direction under one lock, executed from any thread.
import CFFTW
import Synchronization

/// FFTW's planner is global mutable state; only `fftw_execute*` is thread-safe.
/// Every planner call (create, destroy) goes through this lock.
private let plannerLock = Mutex<Void>(())

/// Direction of a discrete Fourier transform: FFTW's sign convention (forward = e^{-i...}).
public enum FFTDirection: Int32, Sendable, Hashable {
  case forward = -1
  case backward = 1
}

/// A complex one-dimensional DFT plan of a fixed size, reusable on any caller-owned buffers.
///
/// Plans are made with `FFTW_ESTIMATE | FFTW_UNALIGNED` so that planning does not touch the data
/// and the plan can run on Swift array storage; results are then bit-for-bit reproducible.
/// Obtain plans from `FFTPlan.shared(count:direction:)` so that each size is planned once.
public final class FFTPlan: @unchecked Sendable {
  // @unchecked Sendable: `plan` is immutable after init, `fftw_execute_dft` is thread-safe on
  // distinct arrays, and creation/destruction hold `plannerLock`.
  /// Number of complex points.
  public let count: Int
  /// Transform direction.
  public let direction: FFTDirection
  private let plan: fftw_plan

  private init(count: Int, direction: FFTDirection) {
    self.count = count
    self.direction = direction
    plan = plannerLock.withLock { _ in
      let input = fftw_alloc_complex(count)
      let output = fftw_alloc_complex(count)
      defer {
        fftw_free(input)
        fftw_free(output)
      }
      // FFTW_ESTIMATE (1 << 6) | FFTW_UNALIGNED (1 << 1)
      return fftw_plan_dft_1d(
        Int32(count), input, output, direction.rawValue, UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED))!
    }
  }

  deinit {
    plannerLock.withLock { _ in fftw_destroy_plan(plan) }
  }

  private static let cache = Mutex<[Key: FFTPlan]>([:])
  private struct Key: Hashable {
    let count: Int
    let direction: FFTDirection
  }

  /// The process-wide plan for `count` points in `direction`, created on first use.
  public static func shared(count: Int, direction: FFTDirection) -> FFTPlan {
    precondition(count > 0, "FFT size must be positive")
    return cache.withLock { plans in
      let key = Key(count: count, direction: direction)
      if let plan = plans[key] { return plan }
      let plan = FFTPlan(count: count, direction: direction)
      plans[key] = plan
      return plan
    }
  }

  /// Transforms `input` into `output` (unnormalized, as FFTW). Both hold `count` complex values
  /// stored as interleaved (re, im) doubles, i.e. `2 * count` doubles each; they must not alias.
  public func execute(_ input: UnsafeMutablePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    input.withMemoryRebound(to: fftw_complex.self, capacity: count) { inp in
      output.withMemoryRebound(to: fftw_complex.self, capacity: count) { out in
        fftw_execute_dft(plan, inp, out)
      }
    }
  }

  /// Transforms interleaved complex `input` (2 * count doubles) into `output` (resized as needed).
  public func execute(_ input: inout [Double], into output: inout [Double]) {
    precondition(input.count == 2 * count, "input must hold 2*count doubles")
    if output.count != 2 * count { output = [Double](repeating: 0, count: 2 * count) }
    input.withUnsafeMutableBufferPointer { inp in
      output.withUnsafeMutableBufferPointer { out in
        execute(inp.baseAddress!, out.baseAddress!)
      }
    }
  }
}
