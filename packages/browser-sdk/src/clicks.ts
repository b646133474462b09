import { LINKS } from "./build-flags.js";
import { list } from "./config.js";
import type { EventOptions, TrackerOptions } from "./options.js";
import { WIRE_EVENT_NAMES, type WireProps } from "./wire.js";

/** Extensions counted as file downloads when `downloads` is `true`, as a pattern alternation. */
const DOWNLOAD_EXTENSIONS =
  "pdf|csv|xls|xlsx|doc|docx|ppt|pptx|odt|ods|txt|rtf|epub|zip|gz|tgz|bz2|xz|7z|rar|dmg|exe|msi|pkg|deb|rpm|apk|iso|mp3|wav|flac|mp4|mov|avi|mkv|webm";

/** Extensions counted as file downloads when `downloads` is `true`. */
export const DEFAULT_DOWNLOAD_EXTENSIONS = /* @__PURE__ */ DOWNLOAD_EXTENSIONS.split("|");

/**
 * Tracks the event a `click` or middle-button `auxclick` makes, if any: a tagged element (`data-track` name +
 * `data-track-*` props, searched from the target up to the nearest tagged ancestor), else a file download,
 * else an outbound link. `url` gives the tracked form of a link's URL.
 */
export const trackClick = (
  e: MouseEvent,
  o: TrackerOptions,
  url: (href: string) => string,
  track: (name: string, options: EventOptions) => void,
): void => {
  const target = e.target as Element;
  // Primary button for click, middle button for auxclick ("auxclick" < "b" < "click").
  if (e.button > (e.type < "b" ? 1 : 0) || !target.closest) return;
  const link = target.closest("a[href]") as HTMLAnchorElement | null;
  // SVG links have an object href: skip their URL.
  const props: WireProps = {};
  if (link?.href.split) props.url = url(link.href);
  const tagged = o.tagged !== false && (target.closest("[data-track]") as HTMLElement | null);
  if (tagged) {
    for (const a of tagged.attributes)
      if (a.name.startsWith("data-track-")) props[a.name.slice(11)] = a.value;
    // biome-ignore lint/correctness/noVoidTypeReturn: returning the call ends the handler in fewer bytes
    return track(tagged.dataset.track as string, { props });
  }
  if (LINKS && props.url && link) {
    const downloads = o.downloads;
    // Extensions are matched as a pattern, case-insensitively: a list that is no pattern (`c++`) throws, and the
    // guard around clicks logs it with `debug`.
    if (
      downloads &&
      (link.hasAttribute("download") ||
        RegExp(`\\.(${downloads === true ? DOWNLOAD_EXTENSIONS : list(downloads).join("|")})$`, "i").test(
          link.pathname,
        ))
    )
      // biome-ignore lint/correctness/noVoidTypeReturn: as above
      return track(WIRE_EVENT_NAMES.download, { props });
    if (o.outbound && link.host !== location.host) track(WIRE_EVENT_NAMES.outbound, { props });
  }
};
