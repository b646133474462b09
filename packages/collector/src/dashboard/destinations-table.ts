import type { DestinationCounts } from "../stats/types.js";
import { escapeHtml } from "./escape.js";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const COLUMNS = ["Collected", "Forwarded", "Failed", "Dropped"] as const;

/**
 * The "Destinations" section: per destination, the events of the range it was handed, delivered, gave up on and
 * lost, so tracklet's figures can be reconciled with a vendor's. Empty string when the store keeps no counts.
 */
export function renderDestinationsSection(destinations: DestinationCounts[] | undefined): string {
  if (destinations === undefined) return "";
  const heading = `<h2 id="h-destinations">Destinations</h2>`;
  const note = `<p class="note">Events of every site in the hours of this range. Forwarded to the store means written; dropped includes events a destination has no equivalent for.</p>`;
  if (destinations.length === 0) {
    return `<section aria-labelledby="h-destinations" id="section-destinations">${heading}<p class="empty">No events reached a destination in this range.</p></section>`;
  }
  const head = `<tr><th scope="col">Destination</th>${COLUMNS.map((c) => `<th scope="col" class="num">${c}</th>`).join("")}</tr>`;
  const body = destinations
    .map((d) => {
      const cells = [d.collected, d.forwarded, d.failed, d.dropped].map(
        (n) => `<td class="num">${escapeHtml(integer.format(n))}</td>`,
      );
      return `<tr><th scope="row">${escapeHtml(d.destination)}</th>${cells.join("")}</tr>`;
    })
    .join("");
  const table = `<table id="table-destinations" aria-labelledby="h-destinations"><thead>${head}</thead><tbody>${body}</tbody></table>`;
  return `<section aria-labelledby="h-destinations" id="section-destinations">${heading}${table}${note}</section>`;
}
