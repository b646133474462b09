import { list } from "./config.js";
import type { Feature } from "./core.js";
import { WIRE_EVENT_NAMES } from "./wire.js";

/** Extensions counted as file downloads when `downloads` is `true`. */
export const DEFAULT_DOWNLOAD_EXTENSIONS = list(
  "pdf csv xls xlsx doc docx ppt pptx odt ods txt rtf epub zip gz tgz bz2 xz 7z rar dmg exe msi pkg deb rpm apk iso mp3 wav flac mp4 mov avi mkv webm",
);

/**
 * One delegated listener for `click` and middle-button `auxclick`: a tagged element (`data-track` name +
 * `data-track-*` props, searched from the target up to the nearest tagged ancestor) makes one event, else a
 * file download, else an outbound link. It only records: never `preventDefault`, never delays navigation.
 */
export const clicks: Feature = (t) => {
  const o = t._options;
  const onClick = (e: Event) => {
    const target = e.target as Element;
    if ((e as MouseEvent).button > (e.type < "b" ? 1 : 0) || !target.closest) return;
    const link = target.closest("a[href]") as HTMLAnchorElement | null;
    const url = link?.href.split ? t._url(link.href) : "";
    const tagged = o.tagged !== false && target.closest("[data-track]");
    const props: Record<string, string> = { url };
    if (tagged) {
      for (const a of tagged.attributes)
        if (a.name.startsWith("data-track-")) props[a.name.slice(11)] = a.value;
      t.track(tagged.getAttribute("data-track") as string, { props });
    } else if (url && link) {
      const downloads = o.downloads;
      const ext = /\.(\w+)$/.exec(link.pathname)?.[1]?.toLowerCase() as string;
      if (
        downloads &&
        (link.hasAttribute("download") ||
          list(downloads === true ? DEFAULT_DOWNLOAD_EXTENSIONS : downloads).includes(ext))
      )
        t.track(WIRE_EVENT_NAMES.download, { props });
      else if (o.outbound && link.host !== location.host) t.track(WIRE_EVENT_NAMES.outbound, { props });
    }
  };
  t._on(document, "click", onClick);
  t._on(document, "auxclick", onClick);
};
