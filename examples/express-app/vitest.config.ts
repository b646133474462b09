import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "example-express-app",
    include: ["src/**/*.test.ts"],
    environment: "node",
    passWithNoTests: true,
  },
});
