import { expect, test } from "@playwright/test";
import { AS_A_PERSON, PERSON_USER_AGENT } from "../support/as-a-person.js";
import { startExampleServer } from "../support/example-server.js";
import { stubThirdParties, watchPage } from "../support/page-guards.js";

const TOKEN = "clicks-token";

test.use({ userAgent: PERSON_USER_AGENT });

test("the example's analytics_track: an outbound link and a download reach the dashboard", async ({
  page,
  context,
}) => {
  const server = await startExampleServer("clicks", { dashboardToken: TOKEN });
  const { collector } = server;
  try {
    // The outbound site answers 204, so the browser stays on the page.
    await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.addInitScript(AS_A_PERSON);
    const sent: Array<{ type: string; name?: string; props?: Record<string, string> }> = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/tracklet/collect")) sent.push(JSON.parse(request.postData() ?? "{}"));
    });

    const script = page.waitForResponse((r) => /\/tracklet\/tracklet\.[0-9a-f]{10}\.js$/.test(r.url()));
    await page.goto(`${server.url}/`);
    const response = await script;
    expect(response.headers()["content-encoding"]).toBe("br");
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    await expect.poll(() => sent.filter((e) => e.type === "pageview").length).toBe(1);

    await page.getByRole("link", { name: "An outbound link" }).click();
    await expect.poll(() => sent.filter((e) => e.name === "Outbound Link: Click").length).toBe(1);
    // Chromium may open the PDF or download it; either way the event left before the page did.
    await page.getByRole("link", { name: "A file download" }).click();
    await expect.poll(() => sent.filter((e) => e.name === "File Download").length).toBe(1);
    expect(sent.find((e) => e.name === "Outbound Link: Click")?.props?.url).toBe(
      "https://example.org/outbound",
    );
    expect(sent.find((e) => e.name === "File Download")?.props?.url).toBe(`${server.url}/assets/report.pdf`);

    await collector.flush();
    const dashboard = await context.newPage();
    await dashboard.goto(`${server.url}/tracklet/?site=127.0.0.1&token=${TOKEN}`);
    const events = dashboard.locator("#table-events");
    await expect(events).toContainText("Outbound Link: Click");
    await expect(events).toContainText("File Download");
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await server.close();
  }
});
