import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Collector, createCollector } from "@tracklet/collector";
import { type AnalyticsSettings, analytics, createSnippet, loadConfig } from "@tracklet/injector";
import compression from "compression";
import express from "express";
import { engine } from "express-handlebars";
import helmet from "helmet";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface ExampleAppOptions {
  /** airflow.cfg-style file; default `TRACKLET_CONFIG` or the example's own `airflow.cfg`. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Collector store: a SQLite path or a `postgres://` URL. Default: `[collector] store` of the config file. */
  store?: string;
  /** Token that opens the dashboard and the stats API. Default `TRACKLET_DASHBOARD_TOKEN` or a random one. */
  dashboardToken?: string;
}

export interface ExampleApp {
  app: express.Express;
  settings: AnalyticsSettings;
  tool: string;
  collector: Collector;
  dashboardToken: string;
  /** Hands the page counts gathered so far to the collector and writes everything collected (tests, shutdown). */
  flush(): Promise<void>;
}

/** The example app: a handful of pages rendered in the ways real apps render them, all carrying the snippet. */
export function createApp(options: ExampleAppOptions = {}): ExampleApp {
  const env = options.env ?? process.env;
  const configPath = resolve(root, options.configPath ?? env.TRACKLET_CONFIG ?? "airflow.cfg");
  // Refuses to start on a bad config, with one line per problem (file:line, option, expected, found).
  const { settings, warnings } = loadConfig({ path: configPath, env });
  for (const warning of warnings) console.warn(`warning: ${warning.where}: ${warning.message}`);
  const tool = settings.tool ?? "none";

  const app = express();
  app.engine(
    "hbs",
    engine({ extname: ".hbs", defaultLayout: "main", layoutsDir: join(root, "views/layouts") }),
  );
  app.set("view engine", "hbs");
  app.set("views", join(root, "views"));

  app.use(compression());
  // Strict CSP with a per-request nonce on /secure only (helmet's documented convention: res.locals.cspNonce).
  app.use("/secure", (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    "/secure",
    helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          connectSrc: ["'self'"],
        },
      },
    }),
  );

  // First-party collection: the SDK posts to /tracklet/collect; stats and the dashboard live under /tracklet/.
  const dashboardToken =
    options.dashboardToken ?? env.TRACKLET_DASHBOARD_TOKEN ?? randomBytes(12).toString("hex");
  const collector = createCollector({
    configFile: configPath,
    env,
    ...(options.store ? { store: options.store } : {}),
    access: { token: dashboardToken },
    dashboard: true,
    mountPath: "/tracklet",
  });

  // What an app adds: `app.use(analytics())` reads ./airflow.cfg itself; the example passes its settings along.
  // When tracklet's SDK reports to this collector, the pages served with it are counted too (Coverage).
  const reportsHere =
    settings.tool === "tracklet" || settings.mode === "first_party" || settings.mode === "both";
  const injector =
    settings.tool === null
      ? undefined
      : analytics({
          snippet: createSnippet(settings),
          ...(reportsHere ? { documents: collector.recordDocuments } : {}),
        });
  if (injector) app.use(injector);
  app.use("/tracklet", collector.router);

  app.use("/assets", express.static(join(root, "public")));
  app.use(express.static(join(root, "public"), { index: false, extensions: [] }));

  app.get("/", (_req, res) => res.render("home", { title: "Home", tool }));
  app.get("/about", (_req, res) => res.render("about", { title: "About", tool }));
  app.get("/secure", (_req, res) => res.render("secure", { title: "Strict CSP", tool }));
  app.get(["/app", "/app/", "/app/*rest"], (_req, res) => res.render("app", { title: "App", tool }));
  app.get("/pricing", (_req, res) => {
    res.send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pricing · tracklet example</title></head>` +
        `<body><main><h1>Pricing</h1><p>Sent with <code>res.send</code>.</p><p><a href="/">Home</a></p></main></body></html>`,
    );
  });
  app.get("/streamed", async (_req, res) => {
    // Written in many chunks, the way a streaming renderer does; the injector never buffers the page.
    res.type("html");
    const parts = [
      '<!doctype html><html lang="en"><he',
      'ad><meta charset="utf-8"><title>Streamed · tracklet example</title></h',
      "ead><body><main><h1>Streamed</h1>",
    ];
    for (const part of parts) res.write(part);
    for (let i = 1; i <= 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      res.write(`<p>chunk ${i}</p>`);
    }
    res.end('<p><a href="/">Home</a></p></main></body></html>');
  });

  const flush = async () => {
    await injector?.flushDocuments();
    await collector.flush();
  };
  return { app, settings, tool, collector, dashboardToken, flush };
}
