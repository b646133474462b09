import { defineConfig } from "@playwright/test";
import { chromiumUse } from "./support/chromium.js";

// The browser is resolved at config load: a missing Chromium fails the whole run with an install hint.
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 30_000,
  retries: 0,
  reporter: [["list"]],
  use: chromiumUse(),
});
