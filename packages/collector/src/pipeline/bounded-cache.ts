/**
 * A small least-recently-used cache in two generations: lookups hit the current generation with one `Map.get`;
 * an entry found in the previous generation is promoted; when the current generation is full it becomes the
 * previous one and the old previous generation is dropped. Recently used entries survive, memory stays under
 * `maxEntries`, and a hit never reorders a Map. Enrichment inputs (user agents, page URLs, referrers) repeat a
 * lot, so a few thousand entries remove most of the parsing.
 */
export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  private readonly generationSize: number;

  constructor(maxEntries: number) {
    this.generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  /** Entries held (both generations; a promoted entry may be counted twice until its old copy is dropped). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Forgets every entry. */
  clear(): void {
    this.current = new Map();
    this.previous = new Map();
  }

  /** The cached value, computing and remembering it on a miss. */
  get(key: K, compute: (key: K) => V): V {
    const hit = this.current.get(key);
    if (hit !== undefined || this.current.has(key)) return hit as V;
    const value = this.previous.has(key) ? (this.previous.get(key) as V) : compute(key);
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }
}
