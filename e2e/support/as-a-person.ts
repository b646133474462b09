// Headless Chromium under Playwright looks like a robot to tracklet: it announces itself as "HeadlessChrome",
// which the collector drops as a bot, and sets navigator.webdriver, which the SDK honours by default. Journeys
// that must be counted browse as a person's browser does.

/** A desktop Chrome user agent, for `test.use({ userAgent })`. */
export const PERSON_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** An init script (`page.addInitScript(AS_A_PERSON)`) that clears navigator.webdriver. */
export const AS_A_PERSON = () =>
  Object.defineProperty(Navigator.prototype, "webdriver", { get: () => false });
