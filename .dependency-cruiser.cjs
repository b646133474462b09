// Dependency rules, checked by `npm run deps` and `npm test` (docs/architecture.md explains them).
// Paths are relative to the repository root; `@tracklet/*` imports resolve to the packages' sources through
// tsconfig.depcruise.json, so the check needs no build.

const SRC = "^packages/[^/]+/src/";
const TEST_FILE = "\\.test\\.ts$";
const COLLECTOR = "^packages/collector/src";

/** A collector folder (`store`) or file prefix (`http/auth`), as a path pattern. */
const collector = (folder) => `${COLLECTOR}/${folder}`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "A cycle means neither side can be read, tested or replaced without the other; move what both need " +
        "into a third module.",
      severity: "error",
      from: { path: SRC },
      to: { circular: true },
    },
    {
      name: "config-stands-alone",
      comment:
        "@tracklet/config is the base every package reads its config with, so it imports no tracklet " +
        "package (which would make the import graph circular).",
      severity: "error",
      from: { path: "^packages/config/" },
      to: { path: "^packages/(?!config/)[^/]+/" },
    },
    {
      name: "browser-sdk-stands-alone",
      comment: "The SDK runs in browsers and has a size budget; it cannot pull in server packages.",
      severity: "error",
      from: { path: "^packages/browser-sdk/" },
      to: { path: "^packages/(?!browser-sdk/)[^/]+/" },
    },
    {
      name: "injector-and-collector-are-independent",
      comment:
        "The injector and the collector are installed and released separately; what both need belongs in " +
        "@tracklet/config (or the SDK's wire format), not in either of them.",
      severity: "error",
      from: { path: "^packages/(injector|collector)/" },
      to: { path: "^packages/(injector|collector)/", pathNot: "^packages/$1/" },
    },
    {
      name: "only-public-entries-of-other-packages",
      comment:
        "Another package is used through what its package.json exports (@tracklet/config, " +
        "@tracklet/config/bots, @tracklet/browser-sdk/wire), never through a path into its files, so its internals can change.",
      severity: "error",
      from: { path: "^packages/([^/]+)/" },
      to: {
        path: "^packages/[^/]+/",
        pathNot: [
          "^packages/$1/",
          "^packages/[^/]+/src/index\\.ts$",
          "^packages/config/src/bots\\.ts$",
          "^packages/browser-sdk/src/wire\\.ts$",
        ],
      },
    },
    {
      name: "no-test-code-in-production",
      comment:
        "Shipped code must not depend on tests, fakes or suites: they live in test/ folders and *.test.ts " +
        "files, which are not published.",
      severity: "error",
      from: { path: SRC, pathNot: TEST_FILE },
      to: { path: ["^packages/[^/]+/test/", TEST_FILE] },
    },
    {
      name: "collector-store-is-the-bottom-layer",
      comment:
        "Data flows http -> pipeline -> destinations -> store; the store knows nothing of who writes to it " +
        "or reads from it over HTTP.",
      severity: "error",
      from: { path: collector("store/") },
      to: { path: ["http/", "pipeline/", "destinations/", "dashboard/"].map(collector) },
    },
    {
      name: "collector-destinations-below-pipeline",
      comment: "Destinations receive finished events; they never reach back into the pipeline or HTTP layer.",
      severity: "error",
      from: { path: collector("destinations/") },
      to: { path: ["http/", "pipeline/"].map(collector) },
    },
    {
      name: "collector-pipeline-below-http",
      comment:
        "The pipeline also serves the server-side tracker and the action log, which have no HTTP request.",
      severity: "error",
      from: { path: collector("pipeline/") },
      to: { path: collector("http/") },
    },
    {
      name: "collector-stats-read-the-store-interface",
      comment:
        "Stats read events through the store's interface (store/types), so they work on every store and the " +
        "stores can change their internals; they know nothing of the layers above.",
      severity: "error",
      from: { path: collector("stats/") },
      to: {
        path: ["store/", "http/", "pipeline/", "destinations/", "dashboard/"].map(collector),
        pathNot: collector("store/types\\.ts$"),
      },
    },
    {
      name: "collector-dashboard-uses-http-auth-only",
      comment:
        "The dashboard is served beside the API and shares its access check and error responses, nothing " +
        "else of the HTTP layer (ingestion, CORS, rate limits).",
      severity: "error",
      from: { path: collector("dashboard/") },
      to: { path: collector("http/"), pathNot: collector("http/(auth|auth-types|errors)\\.ts$") },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)dist/", "(^|/)node_modules/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.depcruise.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
