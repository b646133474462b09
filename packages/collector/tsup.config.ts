import { defineConfig } from "tsup";

export default defineConfig({
  // The SQLite writer thread's entry must sit beside the bundle that starts it (`new URL("./sqlite-writer.js")`).
  entry: {
    index: "src/index.ts",
    cli: "src/cli/main.ts",
    "sqlite-writer": "src/store/sqlite/sqlite-writer.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  target: "node20",
});
