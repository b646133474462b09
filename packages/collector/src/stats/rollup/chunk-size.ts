/**
 * How many hours the next build transaction takes on: sized from how long the last ones took, so a backfill
 * holds the write lock for about `targetMs` at a time whatever the event density. When even a one-hour chunk
 * takes longer (a slow or busy machine: every chunk has fixed costs), the aim becomes twice what the last
 * one-hour chunk took, so those fixed costs never take more than about half of the build.
 */
export class ChunkSize {
  private current: number;
  private oneHourMs = 0;

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
    if (hours === 1) this.oneHourMs = ms;
    const aim = Math.max(this.targetMs, 2 * this.oneHourMs);
    const fitting = Math.floor((hours * aim) / Math.max(ms, 1));
    this.current = Math.max(1, Math.min(this.maxHours, 2 * hours, fitting));
  }
}
