// Stage `test`: every Solidity and mocha test, the gas snapshot, coverage.
//   1. `hardhat test --snapshot-check --tolerance <pct> --gas-stats-json`: all tests, uninstrumented,
//      so gas figures are real; fails on a failing test or gas drift beyond the tolerance.
//   2. `hardhat test --coverage`, without the suites that drive the system through subprocesses
//      (coverage only sees this process); then every contract must reach the line threshold.
import { cp, rm } from "node:fs/promises";
import path from "node:path";

import { StageFailure } from "../errors.js";
import type { Stage } from "../stage.js";

export const testStage: Stage = {
  name: "test",
  title: "test: Solidity + mocha tests, gas snapshot, coverage",
  async run(ctx) {
    const { gasTolerancePercent, coverageMinPercent, outOfProcessSuites } = ctx.config.test;
    const gasJson = path.join(ctx.stageDir, "gas-stats.json");

    ctx.progress("all tests, gas statistics and snapshot check");
    const tests = await ctx.hardhat(
      ["test", "--snapshot-check", "--tolerance", String(gasTolerancePercent), "--gas-stats-json", gasJson],
      { logName: "tests" },
    );
    if (tests.code !== 0) {
      const snapshot = tests.tail.some((line) => line.includes("Snapshot check failed"));
      throw new StageFailure(
        snapshot
          ? `gas drifted more than ${gasTolerancePercent}% from .gas-snapshot; read test/tests.log (update with \`npm run snapshot\` if intended)`
          : `tests failed; read test/tests.log`,
        { log: "test/tests.log" },
        tests.tail,
      );
    }

    ctx.progress("coverage run");
    await rm(path.join(ctx.root, "coverage"), { recursive: true, force: true });
    const coverage = await ctx.hardhat(["test", "--coverage", "--grep-exclude", outOfProcessSuites], {
      logName: "coverage",
    });
    if (coverage.code !== 0) {
      throw new StageFailure(
        "tests failed under coverage; read test/coverage.log",
        { log: "test/coverage.log" },
        coverage.tail,
      );
    }
    await cp(path.join(ctx.root, "coverage", "lcov.info"), path.join(ctx.stageDir, "lcov.info"));
    await cp(path.join(ctx.root, "coverage", "html"), path.join(ctx.stageDir, "coverage-html"), { recursive: true });

    const check = await ctx.exec(process.execPath, [path.join(ctx.root, "scripts", "check-coverage.mjs")], {
      logName: "coverage-check",
      env: { ...process.env, COVERAGE_MIN: String(coverageMinPercent) },
    });
    const perFile = check.tail.filter((line) => /^(ok|LOW) /.test(line));
    const lowest = perFile
      .map((line) => Number(/(\d+\.\d+)%/.exec(line)?.[1] ?? 100))
      .reduce((min, pct) => Math.min(min, pct), 100);
    const outputs = {
      tests: "test/tests.log",
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
