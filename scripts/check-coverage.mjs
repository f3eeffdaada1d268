#!/usr/bin/env node
// Reads coverage/lcov.info (written by `hardhat test --coverage`) and fails unless every
// contract under contracts/ that is not a test helper (contracts/test/) has at least
// COVERAGE_MIN percent of its lines covered (default 95). Prints one line per file.
import { readFileSync } from "node:fs";

const threshold = Number(process.env.COVERAGE_MIN ?? 95);
const lcovPath = "coverage/lcov.info";

let lcov;
try {
  lcov = readFileSync(lcovPath, "utf8");
} catch {
  console.error(`coverage: ${lcovPath} not found; run \`hardhat test --coverage\` first`);
  process.exit(1);
}

const files = [];
let current = null;
for (const line of lcov.split("\n")) {
  if (line.startsWith("SF:")) current = { file: line.slice(3), found: 0, hit: 0 };
  else if (line.startsWith("LF:") && current) current.found = Number(line.slice(3));
  else if (line.startsWith("LH:") && current) current.hit = Number(line.slice(3));
  else if (line === "end_of_record" && current) {
    files.push(current);
    current = null;
  }
}

const measured = files.filter(({ file }) => file.startsWith("contracts/") && !file.startsWith("contracts/test/"));
if (measured.length === 0) {
  console.error("coverage: no contract under contracts/ in the report");
  process.exit(1);
}
let failures = 0;
for (const { file, found, hit } of measured.sort((a, b) => a.file.localeCompare(b.file))) {
  const pct = found === 0 ? 100 : (100 * hit) / found;
  const ok = pct >= threshold;
  if (!ok) failures++;
  console.log(
    `${ok ? "ok  " : "LOW "} ${pct.toFixed(2).padStart(6)}%  ${String(hit).padStart(4)}/${String(found).padEnd(4)} ${file}`,
  );
}
if (failures > 0) {
  console.error(`coverage: ${failures} file(s) below ${threshold}% line coverage`);
  process.exit(1);
}
console.log(`coverage: every contract at or above ${threshold}% line coverage (${lcovPath})`);
