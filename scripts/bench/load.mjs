// The load side of `npm run bench:service`, in a process of its own: GET requests at a fixed
// overall rate (autocannon), cycling through the URLs in a file; prints the latencies as JSON.
// node scripts/bench/load.mjs <urls-file> <requests-per-second> <seconds>
import { readFileSync } from "node:fs";

import autocannon from "autocannon";

const [file, rate, seconds] = process.argv.slice(2);
const paths = readFileSync(file, "utf8").trim().split("\n");
const origin = new URL(paths[0]).origin;
const result = await autocannon({
  url: origin,
  connections: 20,
  overallRate: Number(rate),
  duration: Number(seconds),
  requests: paths.map((url) => ({ method: "GET", path: new URL(url).pathname })),
});
const { latency, requests, non2xx, errors, timeouts } = result;
console.log(
  JSON.stringify({
    requests: requests.total,
    requestsPerSecond: requests.average,
    non2xx,
    errors,
    timeouts,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
  }),
);
