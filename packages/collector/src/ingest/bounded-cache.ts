/**
 * A small least-recently-used cache: a hit moves the entry to the back of the Map's order, and inserting into
 * a full cache evicts from the front. Enrichment inputs (user agents, page URLs, referrers) repeat a lot, so
 * a few thousand entries remove most of the parsing at bounded memory.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, computing and remembering it on a miss. */
  get(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) {
      const value = this.entries.get(key) as V;
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }
    const value = compute(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
