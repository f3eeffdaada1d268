// `npm run bench`: measures the gas of every operation on real transactions and writes
// reports/gas.json, adding `rateLimit.check` measured by test/solidity/RateLimitGas.t.sol
// (run just before by the npm script). Prints each figure beside its target.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import { measureGas } from "./scenario.js";

// Targets from the foundation issue and the one-transaction fill's; the anchors (UniswapX,
// 1inch) are measured the same way by `node ../shared/perf/anchors.mjs`.
const TARGETS: Record<string, number> = {
  submit: 70_000,
  submitWithSignature: 78_000,
  claim: 45_000,
  "fulfill.swap": 115_000,
  "rateLimit.check": 5_500,
  "fill.swap": 95_000,
};
// Targets not met yet (issue 14): printed beside the figure, marked OPEN, and not failing the
// run until the contracts meet them; then they move to TARGETS.
const OPEN_TARGETS: Record<string, number> = {
  "lifecycle.signed": 190_000,
};

const { ethers, networkHelpers } = await network.create();
const measurements = await measureGas(ethers, async (seconds) => {
  await networkHelpers.time.increase(seconds);
});

const rateLimitFile = path.join("reports", "rate-limit-gas.json");
const rateLimit = JSON.parse(await readFile(rateLimitFile, "utf8")) as Record<string, number>;
measurements.push({
  operation: "rateLimit.check",
  gas: rateLimit["rateLimit.check"],
  scenario: "one bucket, steady state: cold SLOAD, arithmetic, SSTORE to a non-zero slot (Solidity test)",
});

await mkdir("reports", { recursive: true });
await writeFile(path.join("reports", "gas.json"), JSON.stringify(measurements, null, 2) + "\n");

let overTarget = 0;
console.log("operation              gas      target");
for (const { operation, gas } of measurements) {
  const target = TARGETS[operation];
  const open = OPEN_TARGETS[operation];
  const verdict =
    target !== undefined
      ? gas <= target
        ? `<= ${target}  ok`
        : `> ${target}  OVER`
      : open !== undefined
        ? gas <= open
          ? `<= ${open}  ok (move it to TARGETS)`
          : `> ${open}  OPEN (not met yet)`
        : "";
  if (target !== undefined && gas > target) overTarget++;
  console.log(`${operation.padEnd(22)} ${String(gas).padStart(7)}  ${verdict}`);
}
console.log(`wrote reports/gas.json (${measurements.length} operations)`);
if (overTarget > 0) {
  console.error(`${overTarget} operation(s) over target`);
  process.exitCode = 1;
}
