// FFTW plans: created once per size and direction under one lock, executed from any thread.
import CFFTW
import Synchronization

/// FFTW's planner is global mutable state; only `fftw_execute*` is thread-safe.
/// Every planner call (create, destroy) goes through this lock.
private let plannerLock = Mutex<Void>(())

/// Direction of a discrete Fourier transform: FFTW's sign convention (forward = e^{-i...}).
package enum FFTDirection: Int32, Sendable, Hashable {
  case forward = -1
  case backward = 1
}

/// A complex one-dimensional DFT plan of a fixed size, reusable on any caller-owned buffers.
///
/// Plans are made with `FFTW_ESTIMATE | FFTW_UNALIGNED` so that planning does not touch the data
/// and the plan can run on Swift array storage; results are then bit-for-bit reproducible.
/// Obtain plans from `FFTPlan.shared(count:direction:)` so that each size is planned once.
package final class FFTPlan: @unchecked Sendable {
  // @unchecked Sendable: `plan` is immutable after init, `fftw_execute_dft` is thread-safe on
  // distinct arrays, and creation/destruction hold `plannerLock`.
  /// Number of complex points.
  public let count: Int
  /// Transform direction.
  public let direction: FFTDirection
  private let plan: fftw_plan

  /// Whether the plan may use SIMD codelets (then it runs only on `FFTBuffer` storage).
  public let aligned: Bool

  private init(count: Int, direction: FFTDirection, aligned: Bool) {
    self.count = count
    self.direction = direction
    self.aligned = aligned
    plan = plannerLock.withLock { _ in
      let input = fftw_alloc_complex(count)
      let output = fftw_alloc_complex(count)
      defer {
        fftw_free(input)
        fftw_free(output)
      }
      // FFTW_ESTIMATE (1 << 6), FFTW_UNALIGNED (1 << 1): without UNALIGNED, FFTW may pick SIMD
      // codelets that need the alignment of fftw_malloc'd arrays.
      let flags = UInt32(FFTW_ESTIMATE) | (aligned ? 0 : UInt32(FFTW_UNALIGNED))
      return fftw_plan_dft_1d(Int32(count), input, output, direction.rawValue, flags)!
    }
  }

  deinit {
    plannerLock.withLock { _ in fftw_destroy_plan(plan) }
  }

  private static let cache = Mutex<[Key: FFTPlan]>([:])
  private struct Key: Hashable {
    let count: Int
    let direction: FFTDirection
    let aligned: Bool
  }

  /// The process-wide plan for `count` points in `direction`, created on first use.
  /// Runs on any storage (Swift arrays): no SIMD codelets.
  public static func shared(count: Int, direction: FFTDirection) -> FFTPlan {
    cached(count: count, direction: direction, aligned: false)
  }

  /// The process-wide SIMD plan for `count` points in `direction`: 2-3x faster than `shared`,
  /// but it runs only on `FFTBuffer` storage (see `execute(_:_:)` on buffers).
  public static func sharedAligned(count: Int, direction: FFTDirection) -> FFTPlan {
    cached(count: count, direction: direction, aligned: true)
  }

  private static func cached(count: Int, direction: FFTDirection, aligned: Bool) -> FFTPlan {
    precondition(count > 0, "FFT size must be positive")
    return cache.withLock { plans in
      let key = Key(count: count, direction: direction, aligned: aligned)
      if let plan = plans[key] { return plan }
      let plan = FFTPlan(count: count, direction: direction, aligned: aligned)
      plans[key] = plan
      return plan
    }
  }

  /// Transforms `input` into `output` (unnormalized, as FFTW). Both hold `count` complex values
  /// stored as interleaved (re, im) doubles, i.e. `2 * count` doubles each; they must not alias.
  /// - Precondition: for an aligned plan, both pointers are SIMD-aligned (`FFTBuffer.pointer`).
  public func execute(_ input: UnsafeMutablePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    if aligned {
      precondition(
        fftw_alignment_of(input) == 0 && fftw_alignment_of(output) == 0,
        "an aligned FFT plan needs FFTBuffer storage")
    }
    input.withMemoryRebound(to: fftw_complex.self, capacity: count) { inp in
      output.withMemoryRebound(to: fftw_complex.self, capacity: count) { out in
        fftw_execute_dft(plan, inp, out)
      }
    }
  }

  /// Transforms interleaved complex `input` (2 * count doubles) into `output` (resized as needed).
  public func execute(_ input: inout [Double], into output: inout [Double]) {
    precondition(!aligned, "Swift arrays need an unaligned plan (FFTPlan.shared)")
    precondition(input.count == 2 * count, "input must hold 2*count doubles")
    if output.count != 2 * count { output = [Double](repeating: 0, count: 2 * count) }
    input.withUnsafeMutableBufferPointer { inp in
      output.withUnsafeMutableBufferPointer { out in
        execute(inp.baseAddress!, out.baseAddress!)
      }
    }
  }
}

/// Interleaved complex work storage from `fftw_malloc`, aligned for FFTW's SIMD codelets
/// (`FFTPlan.sharedAligned`). Not initialized (zeroing every buffer was 5 % of a lean batch's
/// instructions): callers clear what they read. Freed with the object.
package final class FFTBuffer {
  /// Capacity in complex points (`2 * count` doubles).
  public let count: Int
  /// The storage: `2 * count` doubles, (re, im) pairs.
  public let pointer: UnsafeMutablePointer<Double>

  public init(count: Int) {
    precondition(count > 0, "FFT buffer size must be positive")
    self.count = count
    let raw = UnsafeMutableRawPointer(fftw_alloc_complex(count)!)
    pointer = raw.bindMemory(to: Double.self, capacity: 2 * count)
  }

  deinit { fftw_free(pointer) }

  /// The first `points` complex values as doubles (2 * points).
  public func doubles(_ points: Int) -> UnsafeMutableBufferPointer<Double> {
    precondition(points <= count)
    return UnsafeMutableBufferPointer(start: pointer, count: 2 * points)
  }
}

/// A real-input DFT plan (FFTW's r2c) of a fixed size on SIMD-aligned `FFTBuffer` storage: the
/// n/2 + 1 non-negative frequencies of n real values at about half the cost of the complex
/// transform of the same values with zero imaginary parts (which gives the same numbers to
/// rounding). Obtain plans from `RealFFTPlan.shared(count:)`.
package final class RealFFTPlan: @unchecked Sendable {
  // @unchecked Sendable: as FFTPlan (immutable plan, planner calls under `plannerLock`).
  /// Number of real input points.
  public let count: Int
  private let plan: fftw_plan

  private init(count: Int) {
    self.count = count
    plan = plannerLock.withLock { _ in
      let input = fftw_alloc_real(count)
      let output = fftw_alloc_complex(count / 2 + 1)
      defer {
        fftw_free(input)
        fftw_free(output)
      }
      return fftw_plan_dft_r2c_1d(Int32(count), input, output, UInt32(FFTW_ESTIMATE))!
    }
  }

  deinit {
    plannerLock.withLock { _ in fftw_destroy_plan(plan) }
  }

  private static let cache = Mutex<[Int: RealFFTPlan]>([:])

  /// The process-wide plan for `count` real points, created on first use.
  public static func shared(count: Int) -> RealFFTPlan {
    precondition(count > 0, "FFT size must be positive")
    return cache.withLock { plans in
      if let plan = plans[count] { return plan }
      let plan = RealFFTPlan(count: count)
      plans[count] = plan
      return plan
    }
  }

  /// Transforms `count` real values at `input` into `count / 2 + 1` complex values at `output`
  /// (interleaved re, im; unnormalized, forward sign e^(-i...)). Both must be `FFTBuffer`
  /// storage (SIMD-aligned) and must not alias. The input is left as it was (out-of-place r2c
  /// transforms preserve their input by default in FFTW).
  public func execute(_ input: UnsafeMutablePointer<Double>, _ output: UnsafeMutablePointer<Double>) {
    precondition(
      fftw_alignment_of(input) == 0 && fftw_alignment_of(output) == 0, "an aligned FFT plan needs FFTBuffer storage")
    output.withMemoryRebound(to: fftw_complex.self, capacity: count / 2 + 1) { out in
      fftw_execute_dft_r2c(plan, input, out)
    }
  }
}
