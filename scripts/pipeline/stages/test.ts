// Stage `test`: the tests of the build (Solidity and in-process mocha), the gas snapshot, coverage.
//   1. `hardhat test --coverage` under scripts/pipeline/coverage.config.ts, without the suites
//      that drive the tooling through subprocesses (config test.outOfProcessSuites); then every
//      contract must reach the line threshold. That config builds the instrumented contracts
//      into cache/coverage/, so artifacts/ keeps the deployable build (the stages running beside
//      this one read it) and neither build is ever recompiled for the other's sake.
//   2. `hardhat test mocha --gas-stats-json`: the in-process mocha suites again, uninstrumented,
//      with per-function gas statistics of the transactions they send; beside 1, as the two
//      builds are apart.
//   3. `hardhat test solidity --snapshot-check --tolerance <pct>`, after 2 and beside 1: fails on a
//      failing test or on gas drift beyond the tolerance. This and 2 run on what `build` compiled
//      (--no-compile): no stage writes artifacts/ or Hardhat's cache while stages run side by side.
// The out-of-process suites (tasks, local chains, the pipeline's own tests) test the operator
// tooling rather than the build: coverage cannot see into their subprocesses and the gas
// statistics cannot measure them. `npm test`, which CI runs on every change, runs them; here the
// integration stage drives the deployed build over JSON-RPC instead.
import { existsSync } from "node:fs";
import { cp, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { StageFailure } from "../errors.js";
import type { Stage } from "../stage.js";

/** The Hardhat config of coverage runs (`npm run coverage` uses it too). */
export const COVERAGE_CONFIG = path.join("scripts", "pipeline", "coverage.config.ts");

export const testStage: Stage = {
  name: "test",
  title: "test: Solidity + mocha tests, gas snapshot, coverage",
  async run(ctx) {
    const { gasTolerancePercent, coverageMinPercent, outOfProcessSuites } = ctx.config.test;
    const gasJson = path.join(ctx.stageDir, "gas-stats.json");
    // The committed snapshot the gas check holds the run to, kept with the run (the auditor page links it).
    const snapshot = path.join(ctx.root, ".gas-snapshot");
    if (existsSync(snapshot)) await cp(snapshot, path.join(ctx.stageDir, "gas-snapshot"));

    // The uninstrumented passes read only artifacts/, the coverage pass only cache/coverage/, so
    // they run beside it: the mocha pass, then the Solidity pass (one at a time, as the coverage
    // compile keeps a core busy). The coverage pass leaves out the gas tests (`test_gas_*`),
    // which write their figures to reports/ and measure nothing under instrumentation, so those
    // files hold the Solidity pass's uninstrumented figures.
    ctx.progress("coverage run, and beside it the mocha tests with gas statistics, then the Solidity tests");
    const mochaPass = ctx.hardhat(
      ["test", "mocha", "--no-compile", "--gas-stats-json", gasJson, "--grep-exclude", outOfProcessSuites],
      { logName: "mocha-tests" },
    );
    // Two passes, because Hardhat's gas statistics change what they measure: with
    // --gas-stats-json, Solidity tests run in isolation mode and report 60-120 % more gas than
    // .gas-snapshot records for the same code. The snapshot check gets a run of its own.
    const solidityPass = mochaPass
      .catch(() => undefined)
      .then(() =>
        ctx.hardhat(
          ["test", "solidity", "--no-compile", "--snapshot-check", "--tolerance", String(gasTolerancePercent)],
          { logName: "solidity-tests" },
        ),
      );
    const plainPasses = Promise.allSettled([mochaPass, solidityPass]);
    await rm(path.join(ctx.root, "coverage"), { recursive: true, force: true });
    const coverage = await ctx.hardhat(
      ["--config", COVERAGE_CONFIG, "test", "--coverage", "--grep-exclude", `${outOfProcessSuites}|^test_gas_`],
      { logName: "coverage" },
    );
    if (coverage.code !== 0) {
      await plainPasses;
      throw new StageFailure(
        "tests failed under coverage; read test/coverage.log",
        { log: "test/coverage.log" },
        coverage.tail,
      );
    }
    await cp(path.join(ctx.root, "coverage", "lcov.info"), path.join(ctx.stageDir, "lcov.info"));
    await cp(path.join(ctx.root, "coverage", "html"), path.join(ctx.stageDir, "coverage-html"), { recursive: true });

    const solidity = await solidityPass;
    if (solidity.code !== 0) {
      await plainPasses;
      const log = await readFile(solidity.logFile, "utf8");
      throw new StageFailure(
        log.includes("Snapshot check failed")
          ? `gas drifted more than ${gasTolerancePercent}% from .gas-snapshot; read test/solidity-tests.log (update with \`npm run snapshot\` if intended)`
          : "Solidity tests failed; read test/solidity-tests.log",
        { log: "test/solidity-tests.log" },
        solidity.tail,
      );
    }

    const mocha = await mochaPass;
    if (mocha.code !== 0) {
      throw new StageFailure(
        "mocha tests failed; read test/mocha-tests.log",
        { log: "test/mocha-tests.log" },
        mocha.tail,
      );
    }

    const check = await ctx.exec(process.execPath, [path.join(ctx.root, "scripts", "check-coverage.mjs")], {
      logName: "coverage-check",
      env: { ...process.env, COVERAGE_MIN: String(coverageMinPercent) },
    });
    const perFile = check.tail.filter((line) => /^(ok|LOW) /.test(line));
    const lowest = perFile
      .map((line) => Number(/(\d+\.\d+)%/.exec(line)?.[1] ?? 100))
      .reduce((min, pct) => Math.min(min, pct), 100);
    const outputs = {
      solidityTests: "test/solidity-tests.log",
      mochaTests: "test/mocha-tests.log",
      gasStats: "test/gas-stats.json",
      lcov: "test/lcov.info",
      coverageHtml: "test/coverage-html/index.html",
      lowestLineCoverage: `${lowest.toFixed(2)}%`,
    };
    if (check.code !== 0) {
      const low = perFile.filter((line) => line.startsWith("LOW")).map((line) => line.replace(/\s+/g, " ").slice(4));
      throw new StageFailure(`line coverage below ${coverageMinPercent}%: ${low.join("; ")}`, outputs);
    }
    return { outputs };
  },
};
