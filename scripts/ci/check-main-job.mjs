#!/usr/bin/env node
// Checks what `npm start` (the main job) left in reports/pipeline/latest: every stage passed, the
// specs meet their bar, the rollout finished, verification is ok and the auditor page exists.
// .ci/run calls it after the main job; it exits non-zero naming what is wrong.
import { existsSync, readFileSync } from "node:fs";

const run = "reports/pipeline/latest";
const read = (file) => JSON.parse(readFileSync(`${run}/${file}`, "utf8"));
const problems = [];

const summary = read("summary.json");
for (const stage of summary.stages) {
  const seconds = stage.durationMs === null ? "" : `${Math.round(stage.durationMs / 1000)} s`;
  console.log(stage.name.padEnd(12), stage.status.padEnd(8), seconds);
}
const notPassed = summary.stages.filter((stage) => stage.status !== "passed");
if (notPassed.length) problems.push(`stages not passed: ${notPassed.map((stage) => stage.name).join(", ")}`);

const specs = read("specs/specs.json").properties;
const proved = specs.filter((p) => p.result === "proved").length;
const shallow = specs.filter((p) => p.engine === "fuzz" && (p.runs < 256 || p.depth < 50));
console.log(`specs: ${specs.length} properties, ${proved} proved by the SMTChecker`);
if (specs.length < 15 || proved < 5 || shallow.length) {
  problems.push("specs below the bar (>= 15 properties, >= 5 proved, fuzz >= 256 runs x depth 50)");
}

const rollout = read("mainnet/rollout.json").steps.map((step) => `${step.name} ${step.status}`);
console.log(`rollout: ${rollout.join(", ")}`);
if (!read("verify/verify.json").ok) problems.push("verify.json is not ok");
if (!existsSync(`${run}/index.html`)) problems.push("no auditor page");

for (const problem of problems) console.error(problem);
process.exit(problems.length ? 1 : 0);
