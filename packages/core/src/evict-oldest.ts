/**
 * Drops the oldest entries of `map` (insertion order; a cache that moves an entry to the end on use gets LRU) until at
 * most `maxEntries` remain. The one eviction rule of the response cache and the decision cache.
 */
export function evictOldest<K, V>(map: Map<K, V>, maxEntries: number): void {
  while (map.size > maxEntries) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
