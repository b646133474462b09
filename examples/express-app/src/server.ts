import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";

try {
  const { app, tool, collector, dashboardToken, flush } = createApp();
  const server = app.listen(port, host, () => {
    const url = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}/`;
    console.log(`tracklet example app (analytics tool: ${tool})`);
    console.log(`  app:       ${url}`);
    console.log(`  dashboard: ${url}tracklet/?token=${dashboardToken}`);
  });
  const stop = () => {
    server.close();
    void flush()
      .then(() => collector.close())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
