import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian's postgresql-15 package puts its server binaries (override with `TRACKLET_PG_BIN`). */
export const PG_BIN = process.env.TRACKLET_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface ThrowawayPostgres {
  /** `postgres://…` URL of the created database. */
  url: string;
  port: number;
  /** Creates another empty database on the same cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a disposable PostgreSQL cluster in a temp dir on a free loopback port (fsync off; it is thrown away)
 * and creates database `tracklet`. As root the server runs as user `postgres` (`runuser`), otherwise as the
 * current user. Throws with install instructions when the binaries are missing — PostgreSQL tests must fail,
 * not skip, on a machine without them.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const initdb = join(PG_BIN, "initdb");
  if (!existsSync(initdb)) {
    throw new Error(
      `PostgreSQL server binaries not found in ${PG_BIN}. Install them (Debian/Ubuntu: \`apt-get install postgresql-15\`) ` +
        "or point TRACKLET_PG_BIN at the directory holding initdb and pg_ctl.",
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "tracklet-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (bin: string, args: string[]) => {
    const cmd = asRoot ? "runuser" : join(PG_BIN, bin);
    const fullArgs = asRoot ? ["-u", "postgres", "--", join(PG_BIN, bin), ...args] : args;
    return execFileSync(cmd, fullArgs, { stdio: "pipe", cwd: dir });
  };
  const port = await freePort();
  try {
    run("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--locale=C",
      "--encoding=UTF8",
      "--no-sync",
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${stderrOf(err)}`);
  }
  const opts = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=100",
  ].join(" ");
  try {
    run("pg_ctl", ["-D", data, "-o", opts, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${stderrOf(err)}`);
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const createDatabase = async (name: string) => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: `${base}/postgres` });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
    } finally {
      await client.end();
    }
    return `${base}/${name}`;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const url = await createDatabase("tracklet");
    return { url, port, createDatabase, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function stderrOf(err: unknown): string {
  const e = err as { stderr?: Buffer; message?: string };
  return e.stderr?.toString().trim() || e.message || String(err);
}
