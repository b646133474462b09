// Ingestion while a long store operation runs: a collector process takes SDK events at a fixed rate for one
// window with nothing else running and one while another process runs the operation (`store-operation.ts`).
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type LoadResult, postEvents, startCollector } from "../collectors/traffic.js";
import { fillStore, type SeedableStore } from "./fill-store.js";
import type { OperationFigures } from "./store-operation.js";

const here = dirname(fileURLToPath(import.meta.url));

/** What both ingestion benches read from the environment; the store is filled over `FILL_DAYS` up to a minute ago. */
export const SETTINGS = {
  total: Number(process.env.BENCH_EVENTS ?? 10_000_000),
  rate: Number(process.env.BENCH_RATE ?? 500),
  seconds: Number(process.env.BENCH_DURATION ?? 20),
  stores: (process.env.BENCH_STORES ?? "sqlite,postgres").split(","),
};
export const DAY_MS = 86_400_000;
export const FILL_DAYS = 60;

/** Fills `store` with `SETTINGS.total` events over the last `FILL_DAYS` days and says how long it took. */
export async function fillForBench(name: string, store: SeedableStore, users = 0): Promise<void> {
  const start = performance.now();
  const now = Date.now();
  await fillStore(store, SETTINGS.total, now - FILL_DAYS * DAY_MS, now - 60_000, users);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${name}: ${SETTINGS.total.toLocaleString("en")} events written in ${seconds.toFixed(0)} s`);
}

export interface IngestionDuring {
  quiet: LoadResult;
  during: LoadResult;
  operation: OperationFigures;
  /** Events the collector accepted over both windows (and its warm-up). */
  accepted: number;
}

/** Runs `store-operation.ts <store> <operation> <at>` in a child process; resolves with its figures. */
export function runStoreOperation(spec: string, operation: string, at: number): Promise<OperationFigures> {
  const child = fork(join(here, "store-operation.ts"), [spec, operation, String(at)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as OperationFigures));
    child.once("exit", (code) => code !== 0 && reject(new Error(`${operation} exited with ${code}`)));
  });
}

/**
 * Loads a collector on store `spec` (rollups off) at `SETTINGS.rate` events/s from 8 connections for
 * `SETTINGS.seconds`, then again while `operation()` runs, and waits for the operation to end. `name` labels the
 * printed loop figures.
 */
export async function ingestionDuring(
  name: string,
  spec: string,
  operation: () => Promise<OperationFigures>,
): Promise<IngestionDuring> {
  const collector = await startCollector(spec, { rollups: false });
  const window = (idPrefix: string, seconds = SETTINGS.seconds) =>
    postEvents({ url: collector.url, idPrefix, connections: 8, seconds, rate: SETTINGS.rate });
  // Warms the collector up (JIT, connections) so the first window is not slower for that alone.
  await window("warm", 3);
  await collector.loopDelay();
  const quiet = await window("quiet");
  const quietLoop = await collector.loopDelay();
  const running = operation();
  const during = await window("during");
  const duringLoop = await collector.loopDelay();
  console.log(
    `${name}: collector event-loop delay p99/max ${quietLoop.p99.toFixed(0)}/${quietLoop.max.toFixed(0)} ms alone, ` +
      `${duringLoop.p99.toFixed(0)}/${duringLoop.max.toFixed(0)} ms during; most events waiting for the store ` +
      `${quietLoop.mostQueued} alone, ${duringLoop.mostQueued} during`,
  );
  const figures = await running;
  const metrics = await collector.stop();
  return { quiet, during, operation: figures, accepted: metrics.accepted };
}

/** p50 / p99 / max of the times between an operation's progress reports. */
export function gapFigures(gaps: number[]): string {
  const sorted = [...gaps].sort((a, b) => a - b);
  const at = (q: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(0);
  return `${at(0.5)}/${at(0.99)}/${at(1)}`;
}

/** The first cells of a printed window row: store, window, events/s, latency p50 / p99 / max, non-2xx. */
function loadCells(store: string, window: string, load: LoadResult, windowWidth: number): string[] {
  return [
    store.padEnd(12),
    window.padEnd(windowWidth),
    (load.ok / load.seconds).toFixed(0).padStart(10),
    String(load.p50ms).padStart(8),
    String(load.p99ms).padStart(8),
    String(load.maxMs).padStart(8),
    String(load.non2xx + load.errors).padStart(9),
  ];
}

/** Warns, and fails the bench, when a store is missing accepted events. */
function reportLost(store: string, lost: number): void {
  if (lost === 0) return;
  console.log(`WARNING: ${store}: ${lost} accepted events missing from the store`);
  process.exitCode = 1;
}

/** A store's figures as the ingestion benches print them: `lost` is accepted events missing from the store. */
export interface StoreIngestion extends IngestionDuring {
  store: string;
  lost: number;
}

/**
 * Prints `title`, then `header` and two rows per store (its windows, named by `labels`), each the load's cells and
 * `extra(result, during)`; warns about lost events.
 */
export function printWindows<R extends StoreIngestion>(
  results: R[],
  title: string,
  header: string,
  labels: [alone: string, during: string],
  extra: (r: R, during: boolean) => string[],
): void {
  console.log(`\n${title}; load: ${SETTINGS.rate} SDK events/s for ${SETTINGS.seconds} s per window\n`);
  console.log(header);
  const width = Math.max(...labels.map((l) => l.length)) + 1;
  for (const r of results) {
    console.log([...loadCells(r.store, labels[0], r.quiet, width), ...extra(r, false)].join(" "));
    console.log([...loadCells(r.store, labels[1], r.during, width), ...extra(r, true)].join(" "));
    reportLost(r.store, r.lost);
  }
}
