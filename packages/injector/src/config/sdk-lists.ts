import { didYouMean, parseList } from "@tracklet/config";
import { TRACKED_FEATURES, type TrackedFeature } from "../types.js";

/** A list item that is not valid: what was expected, and a hint or a corrected spelling when there is one. */
export interface BadItem {
  item: string;
  expected: string;
  hint?: string;
  suggestion?: string;
}

/** The valid items, and one {@link BadItem} per invalid one (the value is usable only when there are none). */
export interface ListResult<T extends string> {
  items: T[];
  bad: BadItem[];
}

/**
 * The items of a list value: separated by commas, newlines or spaces, as tracklet's browser SDK reads its
 * `data-*` lists (so no item can hold a space), without duplicates.
 */
export function listItems(text: string): string[] {
  return [...new Set(parseList(text).flatMap((item) => item.split(/\s+/)))];
}

const TRACK_WORDS: readonly string[] = [...TRACKED_FEATURES, "none"];
const TRACK_EXPECTED = `"none" or any of ${TRACKED_FEATURES.join(", ")}`;

/** `analytics_track`: any of the tracked features (any case), or `none` alone for pageviews only (`[]`). */
export function parseTrackList(text: string): ListResult<TrackedFeature> {
  const words = [...new Set(listItems(text).map((item) => item.toLowerCase()))];
  const result = eachItem<TrackedFeature>(words, (item) => {
    if (TRACK_WORDS.includes(item)) return undefined;
    const suggestion = didYouMean(item, TRACK_WORDS);
    return {
      item,
      expected: TRACK_EXPECTED,
      ...(suggestion ? { hint: `did you mean "${suggestion}"?`, suggestion } : {}),
    };
  });
  if (!words.includes("none")) return result;
  if (words.length > 1)
    result.bad.push({
      item: "none",
      expected: TRACK_EXPECTED,
      hint: `"none" means pageviews only: write it alone`,
    });
  return { items: [], bad: result.bad };
}

const EXTENSION = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;

/**
 * `analytics_download_extensions`: extensions without the dot (`pdf`, `tar.gz`). The SDK joins them into a
 * pattern, so only letters, digits and inner `.`, `_`, `-` are accepted.
 */
export function parseExtensionList(text: string): ListResult<string> {
  const expected = `file extensions like "pdf" or "tar.gz" (letters, digits, and ".", "_" or "-" inside)`;
  return eachItem(listItems(text), (item) => {
    if (EXTENSION.test(item)) return undefined;
    const bare = item.replace(/^\*?\.+/, "");
    if (bare !== item && EXTENSION.test(bare))
      return {
        item,
        expected,
        hint: `did you mean "${bare}"? extensions are written without the dot`,
        suggestion: bare,
      };
    return { item, expected };
  });
}

/** Characters of a URL path (RFC 3986 `pchar` and `/`) except the list separator `,`, plus the wildcard `*`. */
const PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+;=:@%/]*$/;

/** `analytics_include` / `analytics_exclude`: path patterns starting with `/`, where `*` matches anything. */
export function parsePathList(text: string): ListResult<string> {
  const expected = `path patterns starting with "/" ("*" matches anything), like "/blog/*"`;
  return eachItem(listItems(text), (item) => {
    if (PATH_PATTERN.test(item)) return undefined;
    const fromUrl = /^https?:\/\/[^/]+(\/.*)?$/i.exec(item);
    const fixed = fromUrl ? (fromUrl[1] ?? "/") : item.startsWith("/") ? undefined : `/${item}`;
    if (fixed !== undefined && PATH_PATTERN.test(fixed)) {
      const why = fromUrl ? "patterns match the path, not the whole URL" : 'patterns start with "/"';
      return { item, expected, hint: `did you mean "${fixed}"? ${why}`, suggestion: fixed };
    }
    return { item, expected, hint: "percent-encode other characters, as they appear in the URL" };
  });
}

const PARAMETER = /^[A-Za-z0-9\-._~[\]%]+$/;

/** `analytics_mask`: query parameter names as they appear in URLs. */
export function parseParameterList(text: string): ListResult<string> {
  const expected = `query parameter names (letters, digits, "-", ".", "_", "~", "[", "]" or "%")`;
  return eachItem(listItems(text), (item) => {
    if (PARAMETER.test(item)) return undefined;
    const name = /^[?&]?([^=&#]+)=/.exec(item)?.[1];
    if (name !== undefined && PARAMETER.test(name))
      return { item, expected, hint: `did you mean "${name}"? list the names only`, suggestion: name };
    return { item, expected };
  });
}

function eachItem<T extends string>(
  items: string[],
  check: (item: string) => BadItem | undefined,
): ListResult<T> {
  const result: ListResult<T> = { items: [], bad: [] };
  for (const item of items) {
    const bad = check(item);
    if (bad) result.bad.push(bad);
    else result.items.push(item as T);
  }
  return result;
}
