// GridCache: values computed once per grid (filter banks, kernels) and shared by every spectrum.
import Synchronization

/// A thread-safe cache of values made once per key. A batch uses a handful of grids, so the cache
/// is emptied when it reaches `limit` entries: different parameters per spectrum cannot grow it.
package final class GridCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  private let entries = Mutex<[Key: Value]>([:])
  private let limit: Int

  package init(limit: Int = 64) { self.limit = limit }

  /// The value for `key`, made by `make` on first use.
  package func value(for key: Key, make: () -> Value) -> Value {
    if let value = entries.withLock({ $0[key] }) { return value }
    let value = make()
    entries.withLock { values in
      if values.count >= limit { values.removeAll() }
      values[key] = value
    }
    return value
  }
}
