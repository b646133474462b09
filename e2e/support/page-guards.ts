import type { BrowserContext, Page, Route } from "@playwright/test";

export interface ThirdPartyLog {
  /** Every request to a host other than the test server, in order. */
  urls: string[];
}

/**
 * Serves every non-loopback URL locally (there is no network): scripts get `body`, anything else a 204.
 * The log records what the page asked for, so tests can assert the vendor loader was requested.
 */
export async function stubThirdParties(
  context: BrowserContext,
  scripts: Record<string, string> = {},
): Promise<ThirdPartyLog> {
  const log: ThirdPartyLog = { urls: [] };
  await context.route(
    (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
    async (route: Route) => {
      const url = route.request().url();
      log.urls.push(url);
      const match = Object.entries(scripts).find(([needle]) => url.includes(needle));
      if (match) {
        await route.fulfill({ status: 200, contentType: "application/javascript", body: match[1] });
      } else if (/\.js(\?|$)/.test(url)) {
        await route.fulfill({ status: 200, contentType: "application/javascript", body: "/* stub */" });
      } else {
        await route.fulfill({ status: 204, body: "" });
      }
    },
  );
  return log;
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

/** Collects console errors, uncaught exceptions and CSP violations (reported from inside the page). */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  page.on("console", (message) => {
    if (message.type() === "error") problems.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => problems.pageErrors.push(String(error)));
  await page.exposeFunction("__reportCspViolation", (text: string) => problems.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  return problems;
}
