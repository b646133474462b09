import { list } from "./config.js";
import type { TrackerOptions } from "./options.js";
import { WIRE_EVENT_NAMES, type WireProps } from "./wire.js";

/** Extensions counted as file downloads when `downloads` is `true`. */
export const DEFAULT_DOWNLOAD_EXTENSIONS = /* @__PURE__ */ list(
  "pdf csv xls xlsx doc docx ppt pptx odt ods txt rtf epub zip gz tgz bz2 xz 7z rar dmg exe msi pkg deb rpm apk iso mp3 wav flac mp4 mov avi mkv webm",
);

/**
 * The event a `click` or middle-button `auxclick` makes, as `[name, props]`, or nothing: a tagged element
 * (`data-track` name + `data-track-*` props, searched from the target up to the nearest tagged ancestor),
 * else a file download, else an outbound link. `url` gives the tracked form of a link's URL.
 */
export const clickEvent = (
  e: MouseEvent,
  o: TrackerOptions,
  url: (href: string) => string,
): [string, WireProps] | undefined => {
  const target = e.target as Element;
  // Primary button for click, middle button for auxclick ("auxclick" < "b" < "click").
  if (e.button > (e.type < "b" ? 1 : 0) || !target.closest) return;
  const link = target.closest("a[href]") as HTMLAnchorElement | null;
  // SVG links have an object href: skip their URL.
  const props: WireProps = {};
  if (link?.href.split) props.url = url(link.href);
  const tagged = o.tagged !== false && target.closest("[data-track]");
  if (tagged) {
    for (const a of tagged.attributes)
      if (a.name.startsWith("data-track-")) props[a.name.slice(11)] = a.value;
    return [tagged.getAttribute("data-track") as string, props];
  }
  if (props.url && link) {
    const downloads = o.downloads;
    const ext = /\.(\w+)$/.exec(link.pathname)?.[1]?.toLowerCase() as string;
    if (
      downloads &&
      (link.hasAttribute("download") ||
        list(downloads === true ? DEFAULT_DOWNLOAD_EXTENSIONS : downloads).includes(ext))
    )
      return [WIRE_EVENT_NAMES.download, props];
    if (o.outbound && link.host !== location.host) return [WIRE_EVENT_NAMES.outbound, props];
  }
};
