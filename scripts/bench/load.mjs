// The load side of `npm run bench:service`, in a process of its own: an open-loop generator. The
// i-th request is due at start + i / rate, whatever the server did with the earlier ones, and its
// latency counts from that moment, so a stalled server is not hidden by a client that waited for
// it (coordinated omission). Cycles through the URLs in a file; prints the figures as JSON.
// First, unrecorded, `warm-up-seconds` of the same rate against /health: this process's JIT and
// connections, not the server's caches, are what it warms.
// node scripts/bench/load.mjs <urls-file> <requests-per-second> <seconds> [warm-up-seconds]
import { readFileSync } from "node:fs";

import { Pool } from "undici";

const [file, rateArg, secondsArg, warmupArg = "0"] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const paths = readFileSync(file, "utf8")
  .trim()
  .split("\n")
  .map((url) => new URL(url));
const pool = new Pool(paths[0].origin, { connections: 64 });
let latencies;
let completed = 0;
let non2xx = 0;
let errors = 0;

async function send(pathOf, i, due) {
  try {
    const { statusCode, body } = await pool.request({ method: "GET", path: pathOf(i) });
    await body.dump();
    if (statusCode < 200 || statusCode >= 300) non2xx++;
  } catch {
    errors++;
  }
  latencies[i] = performance.now() - due;
  completed++;
}

/** Sends `rate` requests a second for `seconds`, on schedule; resolves with the seconds it took. */
async function run(seconds, pathOf) {
  const total = Math.round(rate * seconds);
  latencies = new Float64Array(total);
  completed = non2xx = errors = 0;
  const start = performance.now();
  const inflight = [];
  let next = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / rate <= now) {
        inflight.push(send(pathOf, next, start + (next * 1000) / rate));
        next++;
      }
      if (next < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  return (performance.now() - start) / 1000;
}

if (Number(warmupArg) > 0) await run(Number(warmupArg), () => "/health");
const elapsed = await run(seconds, (i) => paths[i % paths.length].pathname);
await pool.close();
const sorted = Array.from(latencies).sort((a, b) => a - b);
const quantile = (values, q) => Number(values[Math.min(values.length - 1, Math.floor(values.length * q))].toFixed(2));
const at = (q) => quantile(sorted, q);
// Where in the phase the slow requests were: the p99 of each second's requests.
const p99BySecond = [];
for (let from = 0; from < latencies.length; from += rate) {
  p99BySecond.push(
    quantile(
      Array.from(latencies.subarray(from, from + rate)).sort((a, b) => a - b),
      0.99,
    ),
  );
}
console.log(
  JSON.stringify({
    requests: completed,
    requestsPerSecond: Number((completed / elapsed).toFixed(1)),
    non2xx,
    errors,
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: Number(sorted[sorted.length - 1].toFixed(2)),
      mean: Number((sorted.reduce((sum, v) => sum + v, 0) / sorted.length).toFixed(2)),
      p99BySecond,
    },
  }),
);
