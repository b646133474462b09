import { type LongOperationOptions, OperationInterrupted } from "../../lifecycle/long-operation.js";
import { computeStats } from "../raw/raw-stats.js";
import type { RollupDialect } from "../stats-dialect.js";
import type { StatsQuery, StatsResult } from "../types.js";
import { buildChunk } from "./build-chunk.js";
import { ChunkSize } from "./chunk-size.js";
import { forgetUnusedPersons, rewindSite, trimSite } from "./rewind.js";
import { HOUR_MS, SETTLE_MS } from "./rollup-plan.js";
import { computeRollupStats, readReach } from "./rollup-stats.js";
import type { RunSql } from "./site-rollup.js";
import { applyStaleMarks, nextChunk, type RewindStep, registerSites, siteStates } from "./sites.js";

/** Background passes run at most this often, started by stats requests and by a timer. */
const PASS_EVERY_MS = 30_000;
const TIMER_EVERY_MS = 5 * 60_000;
/** A pass building at least this many chunks counts as a backfill. */
const BACKFILL_CHUNKS = 8;
/** The task names in progress reports. */
export const ROLLUP_TASK = "rollup backfill";
export const REWIND_TASK = "rollup drop";

/** What a store provides to keep its rollups. */
export interface RollupHost {
  dialect: RollupDialect;
  /**
   * Runs `fn` in one write transaction holding the rollup lock (collectors sharing a database take turns). With
   * `"try"`, resolves undefined at once when another holds the lock.
   */
  transaction<T>(fn: (run: RunSql) => Promise<T>, mode?: "wait" | "try"): Promise<T | undefined>;
  onError?: (message: string, err?: unknown) => void;
  /** After a pass that built many hours (a backfill): refresh planner statistics and the like. */
  afterBackfill?: () => Promise<void>;
  /**
   * During a backfill, after its 8th, 64th, 512th… chunk: refresh the planner's statistics of the tables it
   * grows, so the remaining chunks' look-ups are planned for the table's size, not for an empty one.
   */
  duringBackfill?: () => Promise<void>;
  /**
   * How long one build transaction aims to take (default 80 ms) and its most hours (default 24): a store whose
   * inserts wait for a build transaction keeps it short.
   */
  chunkTargetMs?: number;
  chunkMaxHours?: number;
}

/**
 * The stats rollups of one store: built in the background from closed hours (`refresh`), dropped from an hour
 * on when events there change (`rewind`: erasure; late inserts do it through `stats_stale`), trimmed with
 * retention (`trim`), and read by `stats`, which answers the rest of a range from raw events.
 */
export class StatsRollups {
  private running: Promise<void> | undefined;
  private lastPass = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  private auto = false;
  /** Aborted by `stop`, so a long backfill ends after its current chunk. */
  private stopping = new AbortController();
  private readonly chunkSize: ChunkSize;
  /** Hours per step of a rewind (a rebuild, late inserts), sized like build chunks. */
  private readonly rewindSize: ChunkSize;

  constructor(
    private readonly host: RollupHost,
    private readonly now: () => number,
  ) {
    this.chunkSize = new ChunkSize(host.chunkTargetMs, host.chunkMaxHours);
    this.rewindSize = new ChunkSize(host.chunkTargetMs, host.chunkMaxHours);
  }

  /**
   * Keeps rollups current in the background: a periodic pass (unref'd: it never keeps the process alive) and a
   * pass when a stats request finds the last one old. Without it, only `refresh` builds.
   */
  start(): void {
    this.auto = true;
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(true), TIMER_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the timer and the pass in progress (after its current chunk). */
  async stop(): Promise<void> {
    this.auto = false;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.running?.catch(() => {});
    this.stopping = new AbortController();
  }

  /** Every figure of the query; rollups where built, raw events elsewhere. Starts a pass when one is due. */
  async stats(q: StatsQuery): Promise<StatsResult> {
    if (this.auto) this.kick(false);
    const reach = await readReach(this.host.dialect, q.site);
    return reach
      ? computeRollupStats(this.host.dialect, q, this.now(), reach)
      : computeStats(this.host.dialect, q, this.now());
  }

  /** Starts a background pass unless one ran recently (`force` skips that check); errors go to `onError`. */
  kick(force: boolean): void {
    if (this.running || (!force && this.now() - this.lastPass < PASS_EVERY_MS)) return;
    this.refresh().catch((err) => {
      if (!(err instanceof OperationInterrupted)) this.host.onError?.("stats rollup pass failed", err);
    });
  }

  /**
   * Builds every site's rollups up to the hours that closed `SETTLE_MS` ago, after folding in late inserts, one
   * short transaction per chunk of hours. Overlapping calls share the pass in progress (and the first caller's
   * options); safe to run from several collectors at once. Rejects with `OperationInterrupted` when `signal`
   * aborts or `stop` is called: the chunks built so far stay, and the next pass goes on from there.
   */
  refresh(options: LongOperationOptions = {}): Promise<void> {
    this.running ??= this.pass(options).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(options: LongOperationOptions): Promise<void> {
    const { onProgress, signal } = options;
    const stop = signal ? AbortSignal.any([signal, this.stopping.signal]) : this.stopping.signal;
    this.lastPass = this.now();
    const settled = Math.floor((this.now() - SETTLE_MS) / HOUR_MS);
    let chunks = 0;
    const sites = (await this.host.transaction((run) => registerSites(run), "try")) ?? [];
    // Progress counts hours from each site's first event still to build to the settled hour.
    const firsts = new Map<string, number>();
    for (const site of sites) {
      await this.foldStaleMarks(site.site, options, stop);
      await this.host.transaction(async (run) => {
        const [s] = await siteStates(run, site.site);
        if (!s) return;
        const chunk = await nextChunk(run, s, settled, 0);
        firsts.set(s.site, chunk ? chunk[0] : settled);
      });
    }
    const total = sites.reduce((n, s) => n + Math.max(0, settled - (firsts.get(s.site) ?? settled)), 0);
    let done = 0;
    onProgress?.({ task: ROLLUP_TASK, done, total });
    for (const site of sites) {
      let from = firsts.get(site.site) ?? settled;
      for (;;) {
        if (stop.aborted) throw new OperationInterrupted(ROLLUP_TASK);
        // Timed with its commit, which writes the chunk's pages: the write lock is held until it returns.
        const started = performance.now();
        const chunk = await this.host.transaction(async (run) => {
          const [s] = await siteStates(run, site.site);
          const hours = s && (await nextChunk(run, s, settled, this.chunkSize.hours));
          if (!s || !hours) return undefined;
          await buildChunk(run, this.host.dialect, s, hours[0], hours[1]);
          return hours;
        });
        if (chunk === undefined) break;
        const built = chunk[1];
        if (chunk[1] > chunk[0]) this.chunkSize.record(chunk[1] - chunk[0], performance.now() - started);
        done += Math.max(0, built - from);
        from = built;
        chunks++;
        if (isPowerOf(BACKFILL_CHUNKS, chunks)) await this.host.duringBackfill?.();
        onProgress?.({ task: ROLLUP_TASK, done: Math.min(done, total), total });
        // Let requests and inserts in between chunks.
        await new Promise((r) => setImmediate(r));
      }
    }
    if (chunks >= BACKFILL_CHUNKS) await this.host.afterBackfill?.();
  }

  /**
   * Rewinds a site to its earliest stale hour in steps from the end, each in its own short transaction, reporting
   * the hours dropped so far.
   */
  private async foldStaleMarks(site: string, { onProgress }: LongOperationOptions, stop: AbortSignal) {
    let first: RewindStep | undefined;
    for (;;) {
      if (stop.aborted) throw new OperationInterrupted(REWIND_TASK);
      const started = performance.now();
      const hours = this.rewindSize.hours;
      const step = await this.host.transaction(async (run) => {
        const [s] = await siteStates(run, site);
        return s && (await applyStaleMarks(run, s, hours));
      });
      if (!step) return;
      first ??= step;
      if (step.before > step.target) {
        const total = first.before - first.target;
        onProgress?.({ task: REWIND_TASK, done: Math.min(total, first.before - step.after), total });
      }
      if (step.after === step.target) return;
      this.rewindSize.record(hours, performance.now() - started);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Drops rollups of `site` from the hour holding `ts` on, inside the caller's transaction. */
  static async rewind(run: RunSql, site: string, ts: number): Promise<void> {
    const [s] = await siteStates(run, site);
    if (s) await rewindSite(run, s, Math.max(s.floor, Math.floor(ts / HOUR_MS)));
  }

  /**
   * Drops every site's rollups from the hour holding `from` on and builds them again from raw events. The hour is
   * marked stale, so the drop goes in short steps from the end and any pass carries on with it; a pass already
   * running, which folded its marks in before, ends first.
   */
  async rebuild(from: Date, options: LongOperationOptions = {}): Promise<void> {
    await this.host.transaction(async (run) => {
      await registerSites(run);
      for (const s of await siteStates(run))
        await run("INSERT INTO stats_stale (site, hour) VALUES (?, ?) ON CONFLICT DO NOTHING", [
          s.site,
          Math.max(s.floor, Math.floor(from.getTime() / HOUR_MS)),
        ]);
    });
    await this.running?.catch(() => {});
    await this.refresh(options);
  }

  /** Drops rollups of hours before `cutoff` (retention); the hour holding it is read raw from then on. */
  async trim(cutoff: Date): Promise<void> {
    await this.host.transaction(async (run) => {
      const hour = Math.ceil(cutoff.getTime() / HOUR_MS);
      for (const s of await siteStates(run)) await trimSite(run, s, hour);
      await forgetUnusedPersons(run);
    });
  }
}

/** Whether `n` is `base`, `base²`, `base³`… */
function isPowerOf(base: number, n: number): boolean {
  let power = base;
  while (power < n) power *= base;
  return power === n;
}
