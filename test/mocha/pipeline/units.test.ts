// The pipeline's pieces on their own: build identity, config validation, Slither triage, report
// rendering, and the task's refusal of bad options (no run folder, one line, exit 1).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { expect } from "chai";

import { DEPLOYABLE_CONTRACTS } from "../../../deploy/deployable.js";
import { computeBuildIdentity } from "../../../scripts/pipeline/build-hash.js";
import { loadPipelineConfig } from "../../../scripts/pipeline/config.js";
import { PipelineError } from "../../../scripts/pipeline/errors.js";
import { runPipeline, type PipelineOptions } from "../../../scripts/pipeline/engine.js";
import { StageFailure } from "../../../scripts/pipeline/errors.js";
import { renderJunit, renderMarkdown } from "../../../scripts/pipeline/reports.js";
import { STAGE_NAMES, stageNeeds, type Stage, type StageName } from "../../../scripts/pipeline/stage.js";
import { stagesInOrder } from "../../../scripts/pipeline/stages/index.js";
import type { RunSummary } from "../../../scripts/pipeline/summary.js";
import { gatingImpact, locationOf, triage, type SlitherFinding } from "../../../scripts/pipeline/static/triage.js";
import { ROOT, runHardhat } from "../tasks/harness.js";

async function fakeBuild(dir: string, bytecodes: string[], settings: Record<string, unknown>) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, "artifacts", "build-info"), { recursive: true });
  await writeFile(
    path.join(dir, "artifacts", "build-info", "b1.json"),
    JSON.stringify({ solcLongVersion: "0.8.30+commit.73712a01", input: { settings } }),
  );
  for (const [i, { name, sourceName }] of DEPLOYABLE_CONTRACTS.entries()) {
    await mkdir(path.join(dir, "artifacts", sourceName), { recursive: true });
    await writeFile(
      path.join(dir, "artifacts", sourceName, `${name}.json`),
      JSON.stringify({ bytecode: bytecodes[i], buildInfoId: "b1" }),
    );
  }
}

const finding = (check: string, impact: SlitherFinding["impact"], contract: string, fn: string): SlitherFinding => ({
  check,
  impact,
  confidence: "Medium",
  description: `${contract}.${fn} ${check}`,
  elements: [
    {
      type: "node",
      name: "x = y",
      source_mapping: { filename_relative: `contracts/${contract}.sol`, lines: [10] },
      type_specific_fields: {
        parent: {
          type: "function",
          name: `${fn}(uint256)`,
          type_specific_fields: { parent: { type: "contract", name: contract } },
        },
      },
    },
  ],
});

describe("pipeline units", function () {
  describe("buildHash", function () {
    const settings = { optimizer: { enabled: true, runs: 10_000 }, viaIR: true, outputSelection: { "*": {} } };
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "intentkit-buildhash-"));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it("changes with any deployable contract's bytecode and with compiler settings, not with outputSelection", async function () {
      await fakeBuild(dir, ["0x6001", "0x6002"], settings);
      const base = (await computeBuildIdentity(dir)).buildHash;
      expect(base).to.match(/^0x[0-9a-f]{64}$/);
      await fakeBuild(dir, ["0x6001", "0x6002"], settings);
      expect((await computeBuildIdentity(dir)).buildHash).to.equal(base);

      await fakeBuild(dir, ["0x6001", "0x6003"], settings);
      expect((await computeBuildIdentity(dir)).buildHash).to.not.equal(base);
      await fakeBuild(dir, ["0x6001", "0x6002"], { ...settings, optimizer: { enabled: true, runs: 200 } });
      expect((await computeBuildIdentity(dir)).buildHash).to.not.equal(base);
      await fakeBuild(dir, ["0x6001", "0x6002"], { ...settings, outputSelection: { "*": { "*": ["abi"] } } });
      expect((await computeBuildIdentity(dir)).buildHash).to.equal(base);
    });

    it("refuses a project that was not built", async function () {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      await computeBuildIdentity(dir).then(
        () => expect.fail("expected a PipelineError"),
        (error) => {
          expect(error).to.be.instanceOf(PipelineError);
          expect(error.message).to.match(/run `npx hardhat build`/);
        },
      );
    });
  });

  describe("pipeline.config.json", function () {
    it("names the bad field", async function () {
      const dir = await mkdtemp(path.join(tmpdir(), "intentkit-config-"));
      await writeFile(path.join(dir, "bad.json"), JSON.stringify({ test: { coverageMinPercent: 120 } }));
      await loadPipelineConfig(dir, "bad.json").then(
        () => expect.fail("expected a PipelineError"),
        (error) => expect(error.message).to.match(/^bad\.json: test\.coverageMinPercent: /),
      );
      await writeFile(path.join(dir, "typo.json"), JSON.stringify({ static: { slitherVersion: "latest" } }));
      await loadPipelineConfig(dir, "typo.json").then(
        () => expect.fail("expected a PipelineError"),
        (error) => expect(error.message).to.match(/static\.slitherVersion: must be an exact version/),
      );
      await rm(dir, { recursive: true, force: true });
    });

    it("the committed config gates at 95% line coverage", async function () {
      const config = await loadPipelineConfig(ROOT);
      expect(config.test.coverageMinPercent).to.equal(95);
    });
  });

  describe("Slither triage", function () {
    const accepted = [
      { detector: "incorrect-equality", location: "A.f", instances: 1, justification: "x".repeat(40) },
      { detector: "unused-return", location: "A.g", instances: 2, justification: "y".repeat(40) },
      { detector: "timestamp", location: "A.gone", instances: 1, justification: "z".repeat(40) },
    ];

    it("locates a finding at Contract.function", function () {
      expect(locationOf(finding("timestamp", "Low", "RateLimit", "consume"))).to.equal("RateLimit.consume");
    });

    it("accepts only exact matches, gates at the configured impact, and reports miscounted and stale entries", function () {
      const findings = [
        finding("incorrect-equality", "Medium", "A", "f"), // accepted
        finding("unused-return", "Medium", "A", "g"), // triaged for 2 instances, found 1
        finding("reentrancy-eth", "High", "A", "h"), // not triaged
        finding("timestamp", "Low", "A", "t"), // below the gate
      ];
      const { results, blocking, miscounted, stale } = triage(findings, accepted, gatingImpact("medium"));
      expect(results.map((r) => [r.detector, r.accepted, r.gating])).to.deep.equal([
        ["incorrect-equality", true, true],
        ["unused-return", false, true],
        ["reentrancy-eth", false, true],
        ["timestamp", false, false],
      ]);
      expect(blocking.map((r) => r.location)).to.deep.equal(["A.g", "A.h"]);
      expect(miscounted).to.deep.equal(["unused-return @ A.g: triaged 2, found 1"]);
      expect(stale).to.deep.equal(["timestamp @ A.gone"]);

      expect(triage(findings, accepted, gatingImpact("high")).blocking.map((r) => r.detector)).to.deep.equal([
        "reentrancy-eth",
      ]);
      expect(triage(findings, accepted, gatingImpact("none")).blocking).to.deep.equal([]);
      expect(() => gatingImpact("severe")).to.throw(/fail_on must be one of/);
    });
  });

  describe("reports", function () {
    const summary: RunSummary = {
      runId: "r1",
      commit: "abc",
      dirty: false,
      buildHash: "0x01",
      startedAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      selection: ["build", "test"],
      sessions: [],
      finished: true,
      stages: [
        {
          name: "build",
          status: "passed",
          startedAt: null,
          durationMs: 1500,
          outputs: {},
          reason: null,
          buildHash: "0x01",
          attempts: 1,
        },
        {
          name: "test",
          status: "failed",
          startedAt: null,
          durationMs: 2000,
          outputs: { log: "test/tests.log" },
          reason: 'a < b & "c"',
          buildHash: "0x01",
          attempts: 1,
        },
        {
          name: "specs",
          status: "not-implemented",
          startedAt: null,
          durationMs: null,
          outputs: {},
          reason: "not built yet (issue 5)",
          buildHash: null,
          attempts: 0,
        },
      ],
    };

    it("JUnit: one test case per stage, failures and skips counted, XML escaped", function () {
      const xml = renderJunit(summary);
      expect(xml).to.match(/<testsuite [^>]*tests="3" failures="1" errors="0" skipped="1"/);
      expect(xml).to.include('<failure message="a &lt; b &amp; &quot;c&quot;"/>');
      // junit-report-builder's <skipped> has no message: the reason is the case's output.
      expect(xml).to.match(
        /<testcase classname="pipeline" name="specs"[^>]*>(?:(?!<\/testcase>)[\s\S])*<skipped\/>\s*<system-out><!\[CDATA\[not-implemented: not built yet \(issue 5\)\]\]><\/system-out>/,
      );
      expect(xml).to.not.match(/<testcase [^>]*name="build"[^>]*>\s*<skipped/);
    });

    it("Markdown: a row per stage with status and details", function () {
      const md = renderMarkdown(summary);
      expect(md).to.include('| test | ❌ failed | 2 s | a < b & "c"; log: test/tests.log |');
      expect(md).to.include("| specs | 🚧 not-implemented |");
    });
  });

  describe("scheduling", function () {
    this.timeout(60_000);
    let reportDir: string;
    let buildHash: string;
    before(async () => {
      reportDir = await mkdtemp(path.join(tmpdir(), "intentkit-schedule-"));
      buildHash = (await computeBuildIdentity(ROOT)).buildHash;
    });
    after(() => rm(reportDir, { recursive: true, force: true }));

    /** The pipeline's own stages with their needs, each doing `work` instead of its job. */
    function fakeStages(work: (name: StageName) => Promise<Awaited<ReturnType<NonNullable<Stage["run"]>>>>) {
      return stagesInOrder().map((stage): Stage => ({
        name: stage.name,
        title: stage.name,
        needs: stage.needs,
        run: async () => (stage.name === "build" ? { buildHash, outputs: {} } : work(stage.name)),
      }));
    }

    const run = (stages: Stage[], only: StageName[] | null = null) =>
      runPipeline({
        root: ROOT,
        only,
        from: null,
        resume: false,
        runId: null,
        reportDir,
        configFile: "pipeline.config.json",
        plain: true,
        silent: true,
        hre: {} as PipelineOptions["hre"],
        delivery: { testnet: null, mainnet: null, confirm: null },
        stages,
      });

    const interval = (summary: RunSummary, name: StageName) => {
      const stage = summary.stages.find((s) => s.name === name)!;
      const start = Date.parse(stage.startedAt as string);
      return { start, end: start + (stage.durationMs as number) };
    };

    it("declares test, static and specs as needing only build, and every later stage what it rests on", function () {
      const needs = Object.fromEntries(stagesInOrder().map((stage) => [stage.name, stageNeeds(stage)]));
      expect(needs).to.deep.equal({
        build: [],
        test: ["build"],
        static: ["build"],
        specs: ["build"],
        testnet: ["build", "test", "static", "specs"],
        integration: ["build", "testnet"],
        mainnet: ["build", "test", "static", "specs", "testnet", "integration"],
        verify: ["build", "testnet", "mainnet"],
      });
    });

    it("runs test, static and specs side by side after build; later stages start when their needs ended", async function () {
      const { summary, ok } = await run(
        fakeStages(async (name) => {
          await sleep(["test", "static", "specs"].includes(name) ? 600 : 50);
          return { outputs: { ran: name } };
        }),
      );
      expect(ok).to.equal(true);
      for (const stage of summary.stages) expect(stage.status, stage.name).to.equal("passed");
      const build = interval(summary, "build");
      const side = ["test", "static", "specs"].map((name) => interval(summary, name as StageName));
      for (const stage of side) expect(stage.start).to.be.at.least(build.end);
      // Every pair of the three overlaps: each started before any of them ended.
      expect(Math.max(...side.map((s) => s.start))).to.be.below(Math.min(...side.map((s) => s.end)));
      expect(interval(summary, "testnet").start).to.be.at.least(Math.max(...side.map((s) => s.end)));
      expect(interval(summary, "integration").start).to.be.at.least(interval(summary, "testnet").end);
      expect(interval(summary, "verify").start).to.be.at.least(interval(summary, "mainnet").end);
      for (const stage of summary.stages) expect(stage.buildHash, stage.name).to.equal(buildHash);
    });

    it("does not run a stage whose need failed, and still finishes the stages that do not need it", async function () {
      const started: StageName[] = [];
      const { summary, ok, failureTail } = await run(
        fakeStages(async (name) => {
          started.push(name);
          if (name === "test") throw new StageFailure("planted failure", {}, ["last line of the failing command"]);
          await sleep(200);
          return { outputs: {} };
        }),
      );
      expect(ok).to.equal(false);
      expect(summary.finished).to.equal(true);
      expect(started.sort()).to.deep.equal(["specs", "static", "test"]);
      const status = Object.fromEntries(summary.stages.map((s) => [s.name, [s.status, s.reason]]));
      expect(status).to.deep.equal({
        build: ["passed", null],
        test: ["failed", "planted failure"],
        static: ["passed", null],
        specs: ["passed", null],
        testnet: ["skipped", "not run: test failed"],
        integration: ["skipped", "not run: testnet did not run"],
        mainnet: ["skipped", "not run: test failed, testnet did not run, integration did not run"],
        verify: ["skipped", "not run: testnet did not run, mainnet did not run"],
      });
      expect(failureTail).to.deep.equal(["last line of the failing command"]);
      const junit = await readFile(path.join(reportDir, summary.runId, "junit.xml"), "utf8");
      expect(junit).to.match(/<testsuite [^>]*tests="8" failures="1" errors="0" skipped="4"/);
    });

    it("does not hold a stage back for a need outside the selection", async function () {
      const { summary, ok } = await run(
        fakeStages(async () => ({ outputs: {} })),
        ["testnet", "integration"],
      );
      expect(ok).to.equal(true);
      const status = (name: StageName) => summary.stages.find((s) => s.name === name)!.status;
      for (const name of ["build", "testnet", "integration"] as const) expect(status(name), name).to.equal("passed");
      for (const name of STAGE_NAMES.filter((n) => !["build", "testnet", "integration"].includes(n))) {
        expect(status(name), name).to.equal("skipped");
      }
    });

    it("records a result taken from a cache, with where it came from, and every report shows it as cached", async function () {
      const cached = { from: "cache/specs/smt", key: "0xabc123", detail: "5 of 8 SMT verdicts" };
      const { summary, runDir } = await run(
        fakeStages(async (name) => ({ outputs: {}, ...(name === "specs" ? { cached } : {}) })),
        ["specs"],
      );
      const specs = summary.stages.find((s) => s.name === "specs")!;
      expect(specs.status).to.equal("passed");
      expect(specs.buildHash).to.equal(buildHash);
      const stored = JSON.parse(await readFile(path.join(runDir, "summary.json"), "utf8")) as RunSummary;
      expect(stored.stages.find((s) => s.name === "specs")!.cached).to.deep.equal(cached);
      expect(stored.stages.find((s) => s.name === "build")!.cached).to.equal(null);
      const md = await readFile(path.join(runDir, "summary.md"), "utf8");
      expect(md).to.match(
        /\| specs \| ✅ passed \(cached\) \| [^|]* \| cached from cache\/specs\/smt \(key 0xabc123; 5 of 8 SMT verdicts\)/,
      );
      expect(md).to.not.match(/\| build \|[^\n]*cached/);
      const junit = await readFile(path.join(runDir, "junit.xml"), "utf8");
      expect(junit).to.match(
        /name="specs"[^>]*>\s*<properties>[\s\S]*?<property name="cached" value="cached from cache\/specs\/smt/,
      );
      const html = await readFile(path.join(runDir, "index.html"), "utf8");
      const row = (name: string) => new RegExp(`<tr id="stage-${name}">(?:(?!</tr>).)*</tr>`).exec(html)?.[0] ?? "";
      expect(row("specs")).to.match(
        /<span class="badge neutral">cached<\/span><div class="note">cached from cache\/specs\/smt/,
      );
      expect(row("build")).to.match(/<span class="badge good">passed<\/span>/);
      expect(row("build")).to.not.include(">cached<");
    });
  });

  describe("the pipeline task refuses bad options before doing anything", function () {
    this.timeout(120_000);
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("HARDHAT_")));
    let reportDir: string;
    before(async () => {
      reportDir = await mkdtemp(path.join(tmpdir(), "intentkit-reports-"));
      await rm(reportDir, { recursive: true });
    });

    for (const [args, message] of [
      [["--only", "build,deploy"], /^error: --only: unknown stage "deploy"; stages are build, test, static, specs/],
      [["--only", "test", "--from", "static"], /^error: --only and --from cannot be combined/],
      [["--resume", "--only", "test"], /^error: --resume continues the stored run/],
      [["--run-id", "x"], /^error: --run-id names the run to continue; use it with --resume/],
      [["--resume"], /^error: no pipeline run to resume under /],
      [["--pipeline-config", "missing.json"], /^error: pipeline config missing\.json not found/],
    ] as Array<[string[], RegExp]>) {
      it(`pipeline ${args.join(" ")}`, async function () {
        const run = await runHardhat(["pipeline", "--report-dir", reportDir, ...args], env);
        expect(run.code).to.equal(1);
        expect(run.stderr.trim().split("\n")).to.have.length(1);
        expect(run.stderr).to.match(message);
        expect(existsSync(reportDir)).to.equal(false);
      });
    }
  });
});
