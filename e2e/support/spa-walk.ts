import { expect, type Page } from "@playwright/test";

/** The example app's SPA links, in the order the journeys follow them. */
export const SPA_LINKS = ["Projects", "Settings"] as const;

/** Counts the pageviews the page posts to the collector (`/tracklet/collect`), as they are sent. */
export function countPageviewPosts(page: Page): () => number {
  let posted = 0;
  page.on("request", (request) => {
    if (request.url().endsWith("/tracklet/collect") && request.postData()?.includes('"pageview"')) posted++;
  });
  return () => posted;
}

/**
 * Loads the example app's `/app/` from `origin` and follows its SPA links, waiting after each step until the
 * SDK has posted that step's pageview. `posted` is {@link countPageviewPosts} of the same page, made before.
 */
export async function walkExampleSpa(page: Page, origin: string, posted: () => number): Promise<void> {
  await page.goto(`${origin}/app/`);
  await expect.poll(posted).toBe(1);
  for (const [i, name] of SPA_LINKS.entries()) {
    await page.getByRole("link", { name }).click();
    await expect.poll(posted).toBe(i + 2);
  }
}
