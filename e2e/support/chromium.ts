import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

/** Where we look for a browser, in order: an explicit path, Debian/Ubuntu/Chrome system paths, Playwright's own download. */
const SYSTEM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

export const INSTALL_HINT = [
  "No Chromium found for the e2e tests.",
  "Install one of:",
  "  - Debian/Ubuntu: sudo apt-get install -y chromium   (gives /usr/bin/chromium)",
  "  - Playwright's own build: npx playwright install chromium",
  "or point TRACKLET_CHROMIUM at a Chromium/Chrome executable.",
].join("\n");

/** Returns the executable to launch, or throws with instructions: the e2e run never skips silently. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TRACKLET_CHROMIUM;
  if (explicit) {
    if (existsSync(explicit)) return explicit;
    throw new Error(`TRACKLET_CHROMIUM=${explicit} does not exist.\n${INSTALL_HINT}`);
  }
  for (const candidate of SYSTEM_CANDIDATES) if (existsSync(candidate)) return candidate;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright throws when its browser registry has no chromium entry; fall through to the hint.
  }
  throw new Error(INSTALL_HINT);
}

/**
 * Playwright `use` options for a headless system Chromium: the flags keep it from reaching for Google's
 * services, which on a closed network only produce refused connections.
 */
export function chromiumUse() {
  return {
    browserName: "chromium" as const,
    headless: true,
    launchOptions: {
      executablePath: findChromium(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  };
}
