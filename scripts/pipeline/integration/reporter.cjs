// A Mocha reporter for runs that need a report file as well as readable output: Mocha's spec
// reporter in the terminal and, when reporterOptions.output names a file, the results written
// there: JUnit-style XML (Mocha's own `xunit` reporter) for a name ending in .xml, else JSON in
// the layout of Mocha's `json` reporter ({ stats, tests, pending, failures, passes }). Mocha's
// JSON reporter is not used because it throws on the BigInt values ethers and chai put in errors.
//
// Hardhat 3's `test mocha` task has no reporter option; hardhat.config.ts selects this reporter
// when INTENTKIT_MOCHA_REPORT names the file (see scripts/pipeline/integration/command.ts).
// CommonJS on purpose: Mocha loads a reporter named by path with require().
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { Spec, XUnit } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

const bigintSafe = (_key, value) => (typeof value === "bigint" ? value.toString() : value);

function describeError(err) {
  if (err === undefined || err === null) return {};
  const out = { message: String(err.message ?? err), stack: typeof err.stack === "string" ? err.stack : undefined };
  for (const key of ["name", "code", "actual", "expected"]) {
    if (err[key] !== undefined) out[key] = err[key];
  }
  return out;
}

function describeTest(test) {
  return {
    title: test.title,
    fullTitle: test.fullTitle(),
    file: test.file,
    duration: test.duration,
    state: test.state,
    currentRetry: typeof test.currentRetry === "function" ? test.currentRetry() : 0,
    speed: test.speed,
    err: describeError(test.err),
  };
}

/** Collects what Mocha's JSON reporter collects and writes it when the run ends. */
function writeJsonOnEnd(runner, output) {
  const results = { tests: [], pending: [], failures: [], passes: [] };
  runner.on(EVENT_TEST_END, (test) => results.tests.push(test));
  runner.on(EVENT_TEST_PASS, (test) => results.passes.push(test));
  runner.on(EVENT_TEST_FAIL, (test) => results.failures.push(test));
  runner.on(EVENT_TEST_PENDING, (test) => results.pending.push(test));
  runner.once(EVENT_RUN_END, () => {
    const document = { stats: runner.stats };
    for (const [key, list] of Object.entries(results)) document[key] = list.map(describeTest);
    try {
      fs.mkdirSync(path.dirname(output), { recursive: true });
      fs.writeFileSync(output, `${JSON.stringify(document, bigintSafe, 2)}\n`);
    } catch (error) {
      console.error(`[reporter] writing ${output} failed: ${error.message}`);
    }
  });
}

class SpecWithReportFile extends Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const given = (options.reporterOption ?? options.reporterOptions ?? {}).output;
    if (typeof given !== "string" || given === "") return;
    const output = path.resolve(given);
    if (/\.xml$/i.test(output)) {
      this.xunit = new XUnit(runner, { ...options, reporterOption: { output }, reporterOptions: { output } });
    } else {
      writeJsonOnEnd(runner, output);
    }
  }

  // Mocha waits for a reporter's done() before it reports the run finished; xunit closes its file there.
  done(failures, fn) {
    if (this.xunit !== undefined) this.xunit.done(failures, fn);
    else fn(failures);
  }
}

module.exports = SpecWithReportFile;
