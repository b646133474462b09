/**
 * How many hours the next build transaction takes on: sized from how long the last ones took, so a backfill
 * holds the write lock for about `targetMs` at a time whatever the event density, and builds in as few
 * transactions as that allows.
 */
export class ChunkSize {
  private current: number;

  constructor(
    private readonly targetMs = 80,
    private readonly maxHours = 24,
    start = 4,
  ) {
    this.current = Math.min(start, maxHours);
  }

  get hours(): number {
    return this.current;
  }

  /** Records that a chunk of `hours` took `ms`; grows at most twofold at a time, shrinks at once. */
  record(hours: number, ms: number): void {
    const fitting = Math.floor((hours * this.targetMs) / Math.max(ms, 1));
    this.current = Math.max(1, Math.min(this.maxHours, 2 * hours, fitting));
  }
}
