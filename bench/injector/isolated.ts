// The micro-benchmark with each app alone in a process: `isolated.ts` runs every app in a child process of its own
// per run (runs alternated, medians), for choices that differ in what they allocate or keep alive; the in-process
// micro-benchmark collects one app's garbage during another's turn. A child run is
// `isolated.ts <variant> <path> <requests>`: it warms the app up, then prints CPU µs per request.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createBenchApp, type Variant } from "./app.js";
import { MICRO_CASES, MICRO_VARIANTS, type MicroRow, type RequestHandler, requestOnce } from "./micro.js";

const here = fileURLToPath(import.meta.url);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** One app alone in this process: CPU ns per request over `requests` after a warm-up. */
async function measureHere(variant: Variant, path: string, requests: number): Promise<number> {
  const app = (await createBenchApp(variant, 1024 * 1024)) as unknown as RequestHandler;
  for (let i = 0; i < 3000; i++) await requestOnce(app, path);
  const start = process.cpuUsage();
  for (let i = 0; i < requests; i++) await requestOnce(app, path);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / requests;
}

function measureInChild(variant: Variant, path: string, requests: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(here, [variant, path, String(requests)], {
      execArgv: ["--import", "tsx"],
      silent: true,
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`${variant} ${path} exited with ${code}`)),
    );
  });
}

/** Each case: every app in a process of its own, `runs` times in alternating order; medians of the runs. */
export async function runIsolated(
  runs = Number(process.env.BENCH_MICRO_RUNS ?? 6),
  requests = Number(process.env.BENCH_MICRO_REQUESTS ?? 20_000),
): Promise<MicroRow[]> {
  const rows: MicroRow[] = [];
  for (const { name, path } of MICRO_CASES) {
    const ns = Object.fromEntries(MICRO_VARIANTS.map((v) => [v, [] as number[]])) as Record<
      Variant,
      number[]
    >;
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? MICRO_VARIANTS : [...MICRO_VARIANTS].reverse();
      for (const v of order) ns[v].push(await measureInChild(v, path, requests));
    }
    rows.push({ name, ns: Object.fromEntries(MICRO_VARIANTS.map((v) => [v, median(ns[v])])) });
  }
  return rows;
}

if (process.argv[1] === here && process.argv.length > 2) {
  const [variant, path, requests] = process.argv.slice(2) as [Variant, string, string];
  console.log(await measureHere(variant, path, Number(requests)));
}
