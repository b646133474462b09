/**
 * Deadlines of the request bodies being read, checked by one timer for all of them. A `setTimeout` of its own per
 * request (created, unref'd, cleared) was the largest allocation of the collect path after the request itself.
 * A body times out between `timeoutMs` and a quarter more after it began (the sweep runs every quarter of the
 * shortest timeout watched, at most every second).
 */
type Expire = () => void;

const deadlines = new Map<Expire, number>();
let sweeper: NodeJS.Timeout | undefined;
let sweepEveryMs = Number.POSITIVE_INFINITY;

function sweep(): void {
  if (deadlines.size === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
    sweepEveryMs = Number.POSITIVE_INFINITY;
    return;
  }
  const now = performance.now();
  for (const [expire, deadline] of deadlines) {
    if (deadline > now) continue;
    deadlines.delete(expire);
    expire();
  }
}

/** Calls `expire` once `timeoutMs` have passed, unless the returned function is called first. */
export function watchBodyDeadline(timeoutMs: number, expire: Expire): () => void {
  deadlines.set(expire, performance.now() + timeoutMs);
  const every = Math.max(1, Math.min(1000, Math.floor(timeoutMs / 4)));
  if (every < sweepEveryMs) {
    clearInterval(sweeper);
    sweepEveryMs = every;
    sweeper = setInterval(sweep, every);
    // Never keeps the process alive on its own.
    sweeper.unref();
  }
  return () => deadlines.delete(expire);
}
