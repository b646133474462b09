import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The built `tracklet-collector` command (`npm test` builds the packages before this suite runs). */
export const COLLECTOR_BIN = join(
  dirname(require.resolve("@tracklet/collector/package.json")),
  "bin",
  "tracklet-collector.js",
);

export interface CollectorProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resident memory of the process, in MB (from /proc). */
  rssMb(): number;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM: stop accepting, write the queue, exit. */
  stop(): Promise<number | NodeJS.Signals>;
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<number | NodeJS.Signals>;
}

/**
 * Runs `tracklet-collector serve` as a child process on a free loopback port and waits until it listens.
 * `env` is added to a minimal environment (no TRACKLET__* leaking in from the caller).
 */
export async function startCollectorProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [COLLECTOR_BIN, "serve", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code ?? 0)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start in 20 s:\n${stderr}`)), 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code}) before listening:\n${stderr}`));
    });
  });
  const pid = child.pid as number;
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return {
    url,
    child,
    pid,
    stderr: () => stderr,
    rssMb: () => {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return Math.round(kb / 102.4) / 10;
    },
    exited,
    stop: () => signal("SIGTERM"),
    kill9: () => signal("SIGKILL"),
  };
}

/** Runs `tracklet-collector <args>` to completion; returns its exit code and output. */
export function runCollectorCommand(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COLLECTOR_BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}
