// Allocator settings for long batches.
import CMalloc

/// Process-wide memory settings for batch runs.
enum BatchMemory {
  /// Asks glibc to keep freed memory for reuse: arrays up to 32 MiB (a wavelet map is about
  /// 0.5 MB per part) come from the heap instead of a fresh `mmap` each, and the heap is handed
  /// back to the kernel only when 256 MiB are free. Without this every map costs ~600 page faults
  /// (a third of the batch's time on two cores, Docs/batch.md). Call once at start-up, before
  /// any threads exist; a no-op outside glibc. Returns whether glibc accepted the settings.
  @discardableResult
  static func keepFreedMemory() -> Bool { exafs_tune_malloc() == 1 }
}
