import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run against the sibling packages' sources, so they do not need a build first.
  resolve: {
    alias: [
      {
        find: /^@tracklet\/browser-sdk\/wire$/,
        replacement: fileURLToPath(new URL("../browser-sdk/src/wire.ts", import.meta.url)),
      },
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
    name: "collector",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
  },
});
