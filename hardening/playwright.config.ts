import { defineConfig } from "@playwright/test";
import { chromiumUse } from "../e2e/support/chromium.js";

// Same browser lookup as the e2e suite: a missing Chromium fails the run with an install hint.
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 180_000,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: chromiumUse(),
});
