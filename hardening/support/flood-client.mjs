// A flood from one address, in its own process so it does not share an event loop with the clients measured.
// Usage: node flood-client.mjs <collect URL> <duration ms> <connections> <max requests>
// Prints {"sent":N,"statuses":{"202":N,"429":N}} when done.
import { Agent, request } from "node:http";

const [url, durationText, connectionsText, maxText] = process.argv.slice(2);
const duration = Number(durationText);
const connections = Number(connectionsText);
const max = Number(maxText);
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const statuses = {};
let sent = 0;
const start = performance.now();

function once(n) {
  const body = JSON.stringify({
    batch: [
      {
        type: "pageview",
        site: "flood.example",
        url: `https://flood.example/${n % 50}`,
        props: { seq: String(n) },
      },
    ],
  });
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "text/plain",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
          // Without `trust proxy` a fresh X-Forwarded-For per request must not buy a fresh rate-limit bucket.
          "x-forwarded-for": `198.51.100.${n % 250}`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function worker() {
  while (performance.now() - start < duration && sent < max) {
    const status = await once(++sent);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}

await Promise.all(Array.from({ length: connections }, worker));
agent.destroy();
process.stdout.write(`${JSON.stringify({ sent, seconds: (performance.now() - start) / 1000, statuses })}\n`);
