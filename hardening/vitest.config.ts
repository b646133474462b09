import { defineConfig } from "vitest/config";

// Not part of the root `projects`: `npm test` runs this suite once, as its own "hardening" step.
export default defineConfig({
  test: {
    name: "hardening",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    environment: "node",
    // Suites start servers, child processes and a PostgreSQL cluster: one file at a time on 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
