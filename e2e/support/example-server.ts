import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type ExampleApp, type ExampleAppOptions } from "../../examples/express-app/src/app.js";
import { serve } from "./serve.js";

export interface ExampleServer extends ExampleApp {
  /** Where the app listens, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Stops the server, closes the collector and removes the store's directory. */
  close(): Promise<void>;
}

/**
 * The example app on a free port, its SQLite store in a fresh temporary directory (`name` prefixes it), with no
 * environment overrides unless `options.env` gives some.
 */
export async function startExampleServer(
  name: string,
  options: Omit<ExampleAppOptions, "store"> = {},
): Promise<ExampleServer> {
  const dir = mkdtempSync(join(tmpdir(), `tracklet-${name}-`));
  const example = createApp({ env: {}, ...options, store: join(dir, `${name}.sqlite`) });
  const server = await serve(example.app);
  return {
    ...example,
    url: server.url,
    async close() {
      try {
        await server.close();
        await example.collector.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
