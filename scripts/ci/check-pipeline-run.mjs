#!/usr/bin/env node
// The step after each `hardhat pipeline` call in .github/workflows: reads the run that
// reports/pipeline/latest points at, names it for the steps after it ($GITHUB_OUTPUT: run-id,
// build-hash, run-dir, so artifacts and the SARIF upload find the run folder without following
// the `latest` link), and checks what the workflow expects of it:
//
//   node scripts/ci/check-pipeline-run.mjs --passed build,test,static,specs [--specs-bar]
//                                          [--build-hash 0x...] [--report-dir reports/pipeline]
//
//   --passed       these stages passed, each for the run's buildHash; every other stage was
//                  skipped or is not implemented (nothing failed, nothing left running)
//   --build-hash   the run is for exactly this build (the release's mainnet job: the build the
//                  evidence job tested)
//   --specs-bar    the property specs meet the bar .ci/run holds them to: at least 15 properties,
//                  at least 5 proved by the SMTChecker, every fuzzed one at 256 runs x depth 50 or more
//
// The pipeline's exit code already fails the job when a selected stage fails; this step also
// catches a run that did less than the workflow asked (a stage dropped from the selection) and
// names the run folder for the upload steps, which run even when the pipeline failed.
// Plain JavaScript without dependencies, like the other CI helpers: it runs before anything is built.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

function fail(message) {
  console.error(`check-pipeline-run: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const options = { passed: [], buildHash: null, specsBar: false, reportDir: "reports/pipeline" };
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = () => {
    if (i + 1 >= args.length) fail(`${arg} needs a value`);
    return args[++i];
  };
  if (arg === "--passed") options.passed = value().split(",").filter(Boolean);
  else if (arg === "--build-hash") options.buildHash = value();
  else if (arg === "--specs-bar") options.specsBar = true;
  else if (arg === "--report-dir") options.reportDir = value();
  else fail(`unknown argument ${arg}`);
}

const summaryFile = path.join(options.reportDir, "latest", "summary.json");
if (!existsSync(summaryFile)) fail(`no pipeline run: ${summaryFile} does not exist`);
const summary = JSON.parse(readFileSync(summaryFile, "utf8"));
const runDir = path.join(options.reportDir, summary.runId);

if (process.env.GITHUB_OUTPUT) {
  const lines = [`run-id=${summary.runId}`, `build-hash=${summary.buildHash ?? ""}`, `run-dir=${runDir}`];
  appendFileSync(process.env.GITHUB_OUTPUT, `${lines.join("\n")}\n`);
}

console.log(`run ${summary.runId}: commit ${summary.commit}${summary.dirty ? " (dirty)" : ""}`);
console.log(`buildHash ${summary.buildHash ?? "(not built)"}`);
for (const stage of summary.stages) console.log(`  ${stage.name.padEnd(12)} ${stage.status}`);

const problems = [];
for (const name of options.passed) {
  const stage = summary.stages.find((s) => s.name === name);
  if (!stage) problems.push(`${name}: not a stage of this run`);
  else if (stage.status !== "passed")
    problems.push(`${name}: ${stage.status}${stage.reason ? ` (${stage.reason})` : ""}`);
  else if (stage.buildHash !== summary.buildHash)
    problems.push(`${name}: passed for another build (${stage.buildHash})`);
}
for (const stage of summary.stages) {
  if (options.passed.includes(stage.name)) continue;
  if (!["skipped", "not-implemented"].includes(stage.status))
    problems.push(`${stage.name}: ${stage.status}, not expected to run`);
}
if (options.buildHash !== null && summary.buildHash !== options.buildHash) {
  problems.push(`buildHash ${summary.buildHash} is not the expected ${options.buildHash}`);
}
if (options.specsBar) {
  const specsFile = path.join(runDir, "specs", "specs.json");
  if (!existsSync(specsFile)) problems.push(`specs bar: ${specsFile} does not exist`);
  else {
    const properties = JSON.parse(readFileSync(specsFile, "utf8")).properties;
    const proved = properties.filter((p) => p.result === "proved").length;
    const shallow = properties.filter((p) => p.engine === "fuzz" && (p.runs < 256 || p.depth < 50));
    console.log(`specs: ${properties.length} properties, ${proved} proved by the SMTChecker`);
    if (properties.length < 15 || proved < 5 || shallow.length > 0) {
      problems.push("specs below the bar (>= 15 properties, >= 5 proved, fuzz >= 256 runs x depth 50)");
    }
  }
}

if (problems.length > 0) fail(`run ${summary.runId} is not what this workflow expects:\n  ${problems.join("\n  ")}`);
console.log(`run ${summary.runId}: as expected (${options.passed.join(", ") || "no stage"} passed)`);
