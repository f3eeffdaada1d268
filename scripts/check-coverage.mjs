#!/usr/bin/env node
// Reads coverage/lcov.info (written by `hardhat test --coverage`, parsed with lcov-parse) and
// fails unless every contract under contracts/ that is not a test helper (contracts/test/) has at
// least COVERAGE_MIN percent of its lines covered (default 95). Prints one line per file.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const parseLcov = createRequire(import.meta.url)("lcov-parse");

const threshold = Number(process.env.COVERAGE_MIN ?? 95);
const lcovPath = "coverage/lcov.info";

let lcov;
try {
  lcov = readFileSync(lcovPath, "utf8");
} catch {
  console.error(`coverage: ${lcovPath} not found; run \`npm run coverage\` first`);
  process.exit(1);
}

/** lcov-parse's records: { file, lines: { found, hit } } per source file. */
const records = await new Promise((resolve) => {
  parseLcov.source(lcov, (error, data) => resolve(error ? [] : data));
});

const measured = records.filter(({ file }) => file.startsWith("contracts/") && !file.startsWith("contracts/test/"));
if (measured.length === 0) {
  console.error(`coverage: no contract under contracts/ in ${lcovPath}`);
  process.exit(1);
}
let failures = 0;
for (const { file, lines } of measured.sort((a, b) => a.file.localeCompare(b.file))) {
  const { found, hit } = lines;
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
