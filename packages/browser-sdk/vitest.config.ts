import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "browser-sdk",
    include: ["src/**/*.test.ts"],
    environment: "happy-dom",
  },
});
