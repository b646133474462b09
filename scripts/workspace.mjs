#!/usr/bin/env node
// Entry point behind `npm start`, `npm test`, `npm run build` and `npm run bench`.
// It installs the pnpm workspace when it is missing or stale, so a fresh clone needs only Node and npm.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = join(root, "node_modules", ".tracklet-install-stamp");
const localPnpm = join(root, "node_modules", ".bin", "pnpm");

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

/** Hash of everything that decides what `pnpm install` produces. */
function installFingerprint() {
  const hash = createHash("sha256");
  const files = ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"];
  for (const group of ["packages", "examples"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) files.push(join(group, name, "package.json"));
  }
  files.push("e2e/package.json", "bench/package.json", "hardening/package.json");
  for (const file of files) {
    const path = join(root, file);
    hash.update(file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

function ensureInstalled() {
  const fingerprint = installFingerprint();
  if (existsSync(localPnpm) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint)
    return;
  console.log("tracklet: installing the workspace (pnpm via npx)…");
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) && process.env.CI ? ["--frozen-lockfile"] : [];
  const status = run("npx", ["-y", "pnpm@10", "install", ...frozen]);
  if (status !== 0) {
    console.error("tracklet: `pnpm install` failed; see the output above.");
    process.exit(status);
  }
  writeFileSync(stampFile, installFingerprint());
}

const pnpm = (...args) => run(localPnpm, args);

/** Newest modification time of the files a package's build reads (everything but dist/ and node_modules/). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Packages in dependency order; each is rebuilt only when a source file is newer than its last build. */
const PACKAGES = ["config", "browser-sdk", "injector", "collector"];

function build({ force = false } = {}) {
  for (const name of PACKAGES) {
    const dir = join(root, "packages", name);
    const stamp = join(dir, "dist", ".build-stamp");
    if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(dir)) continue;
    const status = pnpm("--filter", `@tracklet/${name}`, "run", "build");
    if (status !== 0) return status;
    writeFileSync(stamp, new Date().toISOString());
  }
  return 0;
}

/** Dependency rules between and inside the packages (.dependency-cruiser.cjs); any violation fails. */
const deps = (...args) =>
  pnpm("exec", "depcruise", "packages", "--config", ".dependency-cruiser.cjs", ...args);

/** Hostile config, fuzzed responses, abusive clients, crashes and outages: vitest, then Playwright. */
function hardening() {
  const unit = pnpm("exec", "vitest", "run", "-c", "hardening/vitest.config.ts");
  const browser = pnpm("exec", "playwright", "test", "-c", "hardening/playwright.config.ts");
  return unit === 0 && browser === 0 ? 0 : 1;
}

function test() {
  const steps = [
    ["build", () => build({ force: true })],
    ["lint (biome)", () => pnpm("exec", "biome", "check", ".")],
    ["typecheck (tsc --noEmit)", () => pnpm("-r", "run", "typecheck")],
    ["dependency rules (dependency-cruiser)", () => deps()],
    ["unit tests (vitest)", () => pnpm("exec", "vitest", "run")],
    ["size budgets", () => pnpm("--filter", "@tracklet/browser-sdk", "run", "size")],
    [
      "e2e (playwright, chromium)",
      () => pnpm("exec", "playwright", "test", "-c", "e2e/playwright.config.ts"),
    ],
    // Hostile config, hostile HTML, abusive clients, crashes and outages (see docs/reliability.md).
    ["hardening", () => hardening()],
  ];
  const results = [];
  for (const [name, step] of steps) {
    console.log(`\n=== ${name} ===`);
    const status = step();
    results.push([name, status]);
    // Nothing downstream is meaningful when the build itself failed.
    if (name === "build" && status !== 0) break;
  }
  console.log("\n=== summary ===");
  for (const [name, status] of results) console.log(`${status === 0 ? "ok  " : "FAIL"}  ${name}`);
  const failed = results.filter(([, s]) => s !== 0).length;
  console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

const command = process.argv[2];
ensureInstalled();
switch (command) {
  case "install":
    process.exit(0);
    break;
  case "build":
    process.exit(build());
    break;
  case "test":
    process.exit(test());
    break;
  case "deps":
    process.exit(deps(...process.argv.slice(3)));
    break;
  case "hardening": {
    const status = build();
    process.exit(status === 0 ? hardening() : status);
    break;
  }
  case "start": {
    const status = build();
    if (status !== 0) process.exit(status);
    process.exit(pnpm("--filter", "@tracklet/example-express-app", "run", "start"));
    break;
  }
  case "bench": {
    const status = build();
    if (status !== 0) process.exit(status);
    process.exit(pnpm("--filter", "@tracklet/bench", "run", "bench", ...process.argv.slice(3)));
    break;
  }
  default:
    console.error("usage: node scripts/workspace.mjs <install|build|test|deps|hardening|start|bench>");
    process.exit(2);
}
