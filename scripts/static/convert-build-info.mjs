#!/usr/bin/env node
// Used by the pipeline's `static` stage (scripts/pipeline/stages/static.ts).
//
// Convert Hardhat 3 build-info (split into <id>.json = input and <id>.output.json = output)
// into single-file Hardhat-2-style build-info that Slither / crytic-compile reads, inside a
// fake Hardhat-2 project layout:
//
//   <out>/hardhat.config.js              stub, so crytic-compile detects the "hardhat" platform
//   <out>/contracts    -> <project>/contracts     (symlink: sources are read for line numbers
//                                                  and slither-disable comments)
//   <out>/node_modules -> <project>/node_modules  (symlink: @openzeppelin/... sources)
//   <out>/project      -> <project>               (symlink: a plain `hardhat build` also compiles
//                                                  the Solidity tests in the same job; crytic-compile
//                                                  maps only project/contracts/... and npm/... names,
//                                                  so project/test/solidity/*.t.sol must resolve as is)
//   <out>/artifacts/build-info/<id>.json  {_format:"hh-sol-build-info-1", id, solcVersion,
//                                          solcLongVersion, input, output}
//
// Only the build-infos referenced by the project's artifacts (artifacts/contracts/**/*.json,
// field "buildInfoId") are converted. This skips stale build-infos and the instrumented ones a
// `hardhat test --coverage` run leaves in the same folder (their output has a
// __NomicFoundationCoverage-*.sol unit that makes crytic-compile fail with "Unknown file").
//
// Staleness check: Hardhat 3 builds incrementally; artifacts of unchanged files keep pointing at
// an older build-info whose embedded copy of a since-edited file is out of date, and Slither then
// reports wrong lines and misses slither-disable comments. Every project source embedded in a
// build-info is compared with the file on disk; on a mismatch nothing is written and the script
// exits 1 (fix: `npx hardhat build --force`, which writes one build-info for all sources).
//
// Source names are kept as Hardhat 3 writes them ("project/contracts/X.sol",
// "npm/@openzeppelin/contracts@5.7.0/..."); crytic-compile >= 0.4.x maps them back with
// process_hardhat_v3_filename(). --hh2-names also rewrites the keys of input.sources,
// output.sources and output.contracts to Hardhat 2 names (contracts/X.sol, @openzeppelin/...);
// ASTs are left untouched. Both variants gave identical Slither results with crytic-compile 0.4.2.
//
// Usage: node convert-build-info.mjs <hardhat3-project-root> <out-dir> [--hh2-names]
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const hh2Names = args.includes("--hh2-names");
const [projectRoot, outDir] = args.filter((a) => !a.startsWith("--")).map((p) => path.resolve(p));
if (!projectRoot || !outDir) {
  console.error("usage: node convert-build-info.mjs <hardhat3-project-root> <out-dir> [--hh2-names]");
  process.exit(2);
}

const artifactsDir = path.join(projectRoot, "artifacts");
const buildInfoDir = path.join(artifactsDir, "build-info");

// 1. Which build-infos do the current contract artifacts point to?
function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (entry.isFile() && entry.name.endsWith(".json")) yield p;
  }
}
const ids = new Set();
const contractsArtifacts = path.join(artifactsDir, "contracts");
if (fs.existsSync(contractsArtifacts)) {
  for (const file of walk(contractsArtifacts)) {
    const artifact = JSON.parse(fs.readFileSync(file, "utf8"));
    if (typeof artifact.buildInfoId === "string") ids.add(artifact.buildInfoId);
  }
}
if (ids.size === 0) {
  console.error(`no artifact under ${contractsArtifacts} names a buildInfoId: run \`npx hardhat build\` first`);
  process.exit(1);
}

// 2. Merge input + output per build-info; check that it matches the sources on disk.
const toHh2 = (name) => name.replace(/^project\//, "").replace(/^npm\/((?:@[^/]+\/)?[^/@]+)@[^/]+\//, "$1/");
const renameKeys = (obj) => Object.fromEntries(Object.entries(obj ?? {}).map(([k, v]) => [toHh2(k), v]));

const merged = [];
const stale = [];
for (const id of ids) {
  const input = JSON.parse(fs.readFileSync(path.join(buildInfoDir, `${id}.json`), "utf8"));
  const { output } = JSON.parse(fs.readFileSync(path.join(buildInfoDir, `${id}.output.json`), "utf8"));
  if (input.compilerType && input.compilerType !== "solc") {
    console.error(`skipping ${id}: compilerType ${input.compilerType}`);
    continue;
  }
  for (const [sourceName, { content }] of Object.entries(input.input.sources)) {
    if (!sourceName.startsWith("project/") || typeof content !== "string") continue;
    const onDisk = path.join(projectRoot, sourceName.slice("project/".length));
    const current = fs.existsSync(onDisk) ? fs.readFileSync(onDisk, "utf8") : null;
    if (current !== content) stale.push(`${id}: ${sourceName}`);
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) {
    console.error(`${id} has compiler errors:\n${errors.map((e) => e.formattedMessage ?? e.message).join("\n")}`);
    process.exit(1);
  }
  merged.push({
    _format: "hh-sol-build-info-1",
    id,
    solcVersion: input.solcVersion,
    solcLongVersion: input.solcLongVersion,
    input: hh2Names ? { ...input.input, sources: renameKeys(input.input.sources) } : input.input,
    output: hh2Names
      ? { ...output, sources: renameKeys(output.sources), contracts: renameKeys(output.contracts) }
      : output,
  });
}
if (stale.length) {
  console.error(
    `stale build-info (sources changed since it was built):\n  ${stale.join("\n  ")}\n` +
      "run `npx hardhat build --force` (one build-info for all sources) and convert again",
  );
  process.exit(1);
}

// 3. Fresh output layout.
const outBuildInfo = path.join(outDir, "artifacts", "build-info");
fs.rmSync(path.join(outDir, "artifacts"), { recursive: true, force: true });
fs.mkdirSync(outBuildInfo, { recursive: true });
fs.writeFileSync(
  path.join(outDir, "hardhat.config.js"),
  "// stub for crytic-compile platform detection\nmodule.exports = {};\n",
);
for (const [name, to] of [
  ["contracts", path.join(projectRoot, "contracts")],
  ["node_modules", path.join(projectRoot, "node_modules")],
  ["project", projectRoot],
]) {
  const link = path.join(outDir, name);
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(to, link);
}
for (const info of merged) {
  const target = path.join(outBuildInfo, `${info.id}.json`);
  fs.writeFileSync(target, JSON.stringify(info));
  console.log(`${target}: ${Object.keys(info.output.sources).length} sources, solc ${info.solcLongVersion}`);
}
