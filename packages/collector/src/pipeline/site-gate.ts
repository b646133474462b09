import { HttpError } from "./collect-error.js";

/** Distinct sites a collector accepts without a `sites` list, unless `max_sites` says otherwise. */
export const DEFAULT_MAX_SITES = 100;

export interface SiteGateOptions {
  /** `sites`: the only site ids accepted; null accepts any, up to `maxSites` distinct ones. */
  sites: readonly string[] | null;
  maxSites: number;
  /** The sites that already have events (the store's), loaded once before the first check. */
  knownSites: () => Promise<string[]>;
}

/** Events refused by the gate, by reason. */
export interface SiteGateCounts {
  /** For a site not in `sites`. */
  notListed: number;
  /** For a new site once `maxSites` distinct sites are known. */
  overLimit: number;
}

/**
 * Which site ids the collector takes events for: anyone can post an event for any site id, so either only the
 * configured `sites`, or at most `maxSites` distinct ones (those in the store count; new ones are refused past
 * the limit). With several collectors on one PostgreSQL store each counts the sites it has seen.
 */
export class SiteGate {
  readonly counts: SiteGateCounts = { notListed: 0, overLimit: 0 };
  private readonly listed: ReadonlySet<string> | null;
  private known: Set<string> | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: SiteGateOptions) {
    this.listed = options.sites === null ? null : new Set(options.sites);
  }

  /** Whether `check` can run without `load` first. */
  get loaded(): boolean {
    return this.listed !== null || this.known !== null;
  }

  /** Reads the sites known to the store (once; a store that fails counts as empty). */
  load(): Promise<void> {
    this.loading ??= this.options.knownSites().then(
      (sites) => {
        this.known = new Set(sites);
      },
      () => {
        this.known = new Set();
      },
    );
    return this.loading;
  }

  /**
   * The reason the site of `sites[index]` is refused, as an `HttpError` naming `fieldOf(index)`, or null when all
   * are accepted (new sites are then known). Refused events are counted.
   */
  check(sites: readonly string[], fieldOf: (index: number) => string): HttpError | null {
    if (this.listed !== null) {
      const index = sites.findIndex((site) => !this.listed?.has(site));
      if (index < 0) return null;
      this.counts.notListed += sites.length;
      return new HttpError(
        403,
        "site_not_listed",
        `This collector takes events only for the sites in its \`sites\` setting; ${JSON.stringify(sites[index])} is not one of them.`,
        fieldOf(index),
      );
    }
    const known = this.known ?? new Set<string>();
    this.known = known;
    const fresh = [...new Set(sites.filter((site) => !known.has(site)))];
    if (known.size + fresh.length <= this.options.maxSites) {
      for (const site of fresh) known.add(site);
      return null;
    }
    this.counts.overLimit += sites.length;
    const index = sites.indexOf(fresh[0] as string);
    return new HttpError(
      403,
      "too_many_sites",
      `This collector already has events for ${known.size} sites, its limit (\`max_sites\`); set \`sites\` or raise \`max_sites\` to take events for a new one.`,
      fieldOf(index),
    );
  }
}
