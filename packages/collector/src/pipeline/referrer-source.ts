/** Well-known referrer hosts mapped to a source name (matched on the host and its parent domains). */
const KNOWN_SOURCES: Array<[RegExp, string]> = [
  [/(^|\.)google\.[a-z.]+$/, "Google"],
  [/(^|\.)bing\.com$/, "Bing"],
  [/(^|\.)duckduckgo\.com$/, "DuckDuckGo"],
  [/(^|\.)search\.yahoo\.com$|(^|\.)yahoo\.com$/, "Yahoo"],
  [/(^|\.)yandex\.[a-z.]+$|(^|\.)ya\.ru$/, "Yandex"],
  [/(^|\.)baidu\.com$/, "Baidu"],
  [/(^|\.)ecosia\.org$/, "Ecosia"],
  [/(^|\.)qwant\.com$/, "Qwant"],
  [/(^|\.)search\.brave\.com$/, "Brave Search"],
  [/(^|\.)(facebook\.com|fb\.me|fb\.com)$/, "Facebook"],
  [/(^|\.)instagram\.com$/, "Instagram"],
  [/^t\.co$|(^|\.)(twitter\.com|x\.com)$/, "Twitter"],
  [/(^|\.)(linkedin\.com|lnkd\.in)$/, "LinkedIn"],
  [/(^|\.)reddit\.com$/, "Reddit"],
  [/^news\.ycombinator\.com$/, "Hacker News"],
  [/(^|\.)(youtube\.com|youtu\.be)$/, "YouTube"],
  [/(^|\.)pinterest\.[a-z.]+$/, "Pinterest"],
  [/(^|\.)github\.com$/, "GitHub"],
  [/(^|\.)mastodon\.social$/, "Mastodon"],
  [/(^|\.)chatgpt\.com$|(^|\.)chat\.openai\.com$/, "ChatGPT"],
];

/**
 * The source a visit came from: a named engine/network, else the referrer's host without `www.`.
 * `null` means direct or internal: no referrer, an unparseable one, or the page's own host.
 */
export function referrerSource(referrer: string | undefined, pageUrl: string | URL): string | null {
  if (!referrer) return null;
  let refHost: string;
  try {
    const ref = new URL(referrer);
    if (ref.protocol !== "http:" && ref.protocol !== "https:") return null;
    refHost = ref.hostname.toLowerCase();
  } catch {
    return null;
  }
  let pageHost = "";
  try {
    pageHost = (typeof pageUrl === "string" ? new URL(pageUrl) : pageUrl).hostname.toLowerCase();
  } catch {
    // validated upstream; an unparseable page URL just means no same-site check
  }
  const bare = (h: string) => h.replace(/^www\./, "");
  if (refHost === "" || bare(refHost) === bare(pageHost)) return null;
  for (const [pattern, name] of KNOWN_SOURCES) if (pattern.test(refHost)) return name;
  return bare(refHost);
}

/** `utm_source`, `utm_medium`, `utm_campaign` from the page URL (empty values count as absent). */
export function utmParams(pageUrl: string | URL): {
  source: string | null;
  medium: string | null;
  campaign: string | null;
} {
  try {
    const params = (typeof pageUrl === "string" ? new URL(pageUrl) : pageUrl).searchParams;
    const get = (k: string) => {
      const v = params.get(k)?.trim();
      return v ? v.slice(0, 256) : null;
    };
    return { source: get("utm_source"), medium: get("utm_medium"), campaign: get("utm_campaign") };
  } catch {
    return { source: null, medium: null, campaign: null };
  }
}
