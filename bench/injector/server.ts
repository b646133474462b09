// One benchmark server (child process, so memory figures are per server). argv: bare | noop | tracklet | baseline.
import { createBenchApp, type Variant } from "./app.js";

const app = await createBenchApp(process.argv[2] as Variant);
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.send?.({ type: "ready", port });
  setInterval(() => {
    const m = process.memoryUsage();
    process.send?.({ type: "memory", rss: m.rss, heapUsed: m.heapUsed, external: m.external });
  }, 50).unref();
});
// CPU time of this process (µs, all threads) on request: the parent reads it around each measured run.
process.on("message", (message) => {
  if (message === "cpu") {
    const { user, system } = process.cpuUsage();
    process.send?.({ type: "cpu", micros: user + system });
  }
});
process.on("disconnect", () => process.exit(0));
process.on("error", () => process.exit(0));
