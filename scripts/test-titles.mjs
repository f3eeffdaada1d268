#!/usr/bin/env node
// Lists every test title of every tier, so that a change that moves, merges or drops tests can be
// checked: nothing proven before may disappear without a test that proves it now.
//
//   node scripts/test-titles.mjs [--out reports/test-titles.txt] [--compare OLD.txt]
//
// Mocha suites are listed by Mocha itself in dry-run mode (INTENTKIT_MOCHA_DRY_RUN: hooks and
// tests are not run), so titles built in loops are listed as Mocha sees them. Solidity tests are
// listed from their sources: every `test…` and `invariant…` function of a contract in a `.t.sol`
// file, as Hardhat's Solidity test runner selects them. One line a test:
// `<tier>\t<file>\t<full title>`. With --compare, prints the titles that disappeared and appeared.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "reports/test-titles.txt" },
    compare: { type: "string" },
    root: { type: "string", default: process.cwd() },
  },
});
const root = path.resolve(values.root);

function filesUnder(dir, suffix) {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** Mocha's own view of the files' tests, without running them. */
function mochaTitles(tier, files) {
  if (files.length === 0) return [];
  const report = path.join(mkdtempSync(path.join(tmpdir(), "intentkit-titles-")), "titles.json");
  const result = spawnSync("npx", ["hardhat", "test", "mocha", "--no-compile", ...files], {
    cwd: root,
    env: { ...process.env, INTENTKIT_MOCHA_DRY_RUN: "1", INTENTKIT_MOCHA_REPORT: report },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (!existsSync(report)) {
    console.error(result.stdout, result.stderr);
    throw new Error(`mocha listed no tests for ${tier} (exit ${result.status})`);
  }
  const { tests } = JSON.parse(readFileSync(report, "utf8"));
  return tests.map((test) => [tier, path.relative(root, test.file ?? ""), test.fullTitle]);
}

/** `test…` and `invariant…` functions of the contracts in Solidity test files. */
function solidityTitles(files) {
  const rows = [];
  for (const file of files) {
    let contract = null;
    for (const line of readFileSync(path.join(root, file), "utf8").split("\n")) {
      const declared = /^\s*(?:abstract\s+)?contract\s+(\w+)/.exec(line);
      if (declared) contract = /^\s*abstract/.test(line) ? null : declared[1];
      const fn = /^\s*function\s+((?:test|invariant)\w*)\s*\(/.exec(line);
      if (fn && contract) rows.push(["solidity", file, `${contract}::${fn[1]}`]);
    }
  }
  return rows;
}

const rows = [
  ...solidityTitles(filesUnder("test/solidity", ".t.sol")),
  ...mochaTitles("mocha", filesUnder("test/mocha", ".test.ts")),
  ...mochaTitles("e2e", filesUnder("test/e2e", ".test.ts")),
  ...mochaTitles("integration", filesUnder("test/integration", ".test.ts")),
];
const text = rows.map((row) => row.join("\t")).join("\n") + "\n";
writeFileSync(path.resolve(root, values.out), text);

const counts = Object.entries(Object.groupBy(rows, ([tier]) => tier)).map(([tier, list]) => `${tier} ${list.length}`);
console.log(`${rows.length} tests (${counts.join(", ")}) listed in ${values.out}`);

if (values.compare) {
  const titleOf = (line) => line.split("\t")[2];
  const old = new Set(readFileSync(values.compare, "utf8").split("\n").filter(Boolean).map(titleOf));
  const now = new Set(rows.map(([, , title]) => title));
  const gone = [...old].filter((title) => !now.has(title));
  const added = [...now].filter((title) => !old.has(title));
  console.log(`\n${gone.length} titles disappeared:`);
  for (const title of gone) console.log(`- ${title}`);
  console.log(`\n${added.length} titles appeared:`);
  for (const title of added) console.log(`+ ${title}`);
}
