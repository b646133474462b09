import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run against the config package's sources, so they do not need a build first.
  resolve: {
    alias: [
      {
        find: /^@tracklet\/config\/bots$/,
        replacement: fileURLToPath(new URL("../config/src/bots.ts", import.meta.url)),
      },
      {
        find: /^@tracklet\/config$/,
        replacement: fileURLToPath(new URL("../config/src/index.ts", import.meta.url)),
      },
    ],
  },
  test: {
    name: "injector",
    include: ["src/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
