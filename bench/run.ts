// `tsx run.ts [name…]`: runs bench/<name>/index.ts for each name, or every bench when none is given.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== "node_modules" && existsSync(join(here, e.name, "index.ts")))
  .map((e) => e.name)
  .sort();

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(", ")} (available: ${available.join(", ")})`);
  process.exit(2);
}

let failed = 0;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench/${name} ===`);
  const result = spawnSync(process.execPath, ["--import", "tsx", join(here, name, "index.ts")], {
    stdio: "inherit",
    cwd: here,
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
