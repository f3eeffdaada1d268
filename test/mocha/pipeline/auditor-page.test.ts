// The auditor page (scripts/pipeline/auditor-page.ts) on a fixture run folder: RunStore.save
// writes it; it shows every stage, links only files that exist, and escapes what the files say.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { AUDITOR_PAGE, readAuditorInput, renderAuditorPage } from "../../../scripts/pipeline/auditor-page.js";
import { RUN_REPORTERS } from "../../../scripts/pipeline/reporters.js";
import { RunStore } from "../../../scripts/pipeline/run-store.js";
import type { RunSummary, StageResult } from "../../../scripts/pipeline/summary.js";
import type { StageName } from "../../../scripts/pipeline/stage.js";

const BUILD = `0x${"ab".repeat(32)}`;
const EVIL = `<script>alert("x")</script> & <img src=x onerror=alert(1)>`;

function stage(name: StageName, status: StageResult["status"], extra: Partial<StageResult> = {}): StageResult {
  const ran = status === "passed" || status === "failed";
  return {
    name,
    status,
    startedAt: ran ? "2026-12-01T10:00:00.000Z" : null,
    durationMs: ran ? 65_000 : null,
    outputs: {},
    reason: null,
    buildHash: ran ? BUILD : null,
    attempts: ran ? 1 : 0,
    ...extra,
  };
}

function fixtureSummary(): RunSummary {
  return {
    runId: "20261201-100000-abcd",
    commit: "33ac9a0f73f520de45d6b95e8fd1ad0986c040db",
    dirty: true,
    buildHash: BUILD,
    startedAt: "2026-12-01T10:00:00.000Z",
    updatedAt: "2026-12-01T10:30:00.000Z",
    selection: ["build", "test", "static", "specs", "testnet", "integration", "verify"],
    sessions: [{ startedAt: "2026-12-01T10:00:00.000Z", commit: "33ac9a0", buildHash: BUILD }],
    finished: true,
    stages: [
      stage("build", "passed"),
      stage("test", "passed", {
        outputs: {
          lcov: "test/lcov.info",
          coverageHtml: "test/coverage-html/index.html",
          gasStats: "test/gas-stats.json",
          lowestLineCoverage: "100.00%",
        },
      }),
      stage("static", "failed", { reason: `1 untriaged finding: ${EVIL}`, outputs: { sarif: "static/slither.sarif" } }),
      stage("specs", "passed"),
      stage("testnet", "passed", { outputs: { manifest: "testnet/manifest.json" } }),
      stage("integration", "skipped", { reason: "not run: an earlier stage failed" }),
      stage("mainnet", "not-implemented", { reason: "not built yet (issue 6)" }),
      stage("verify", "passed", { buildHash: `0x${"cd".repeat(32)}` }),
    ],
  };
}

const ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

async function writeFixture(runDir: string): Promise<void> {
  const put = async (file: string, content: unknown) => {
    await mkdir(path.dirname(path.join(runDir, file)), { recursive: true });
    await writeFile(path.join(runDir, file), typeof content === "string" ? content : JSON.stringify(content));
  };
  await put("test/lcov.info", "TN:\nend_of_record\n");
  await put("test/gas-stats.json", "{}");
  await put("test/mocha-tests.log", "ok\n");
  await put("static/slither.sarif", "{}");
  await put("static/findings.json", {
    gate: "Medium",
    triageFile: "slither.triage.json",
    stale: [],
    miscounted: [],
    findings: [
      {
        detector: "reentrancy-eth",
        impact: "High",
        confidence: "Medium",
        location: "SolverRegistry.withdraw",
        source: "contracts/SolverRegistry.sol#10",
        description: EVIL,
        gating: true,
        accepted: false,
        justification: null,
      },
    ],
  });
  await put("specs/specs.json", {
    buildHash: BUILD,
    legend: { proved: "held for all inputs" },
    engines: [],
    properties: [
      {
        property: "invariant_totalBonded",
        kind: "invariant",
        component: "SolverRegistry",
        engine: "smt",
        result: "proved",
        runs: null,
        depth: null,
        counterexample: null,
        durationMs: 1000,
        statement: "the sum of bonds is totalBonded",
        spec: "specs/SolverRegistry.spec.sol",
      },
      {
        property: "rule_fullBucketRefuses",
        kind: "rule",
        component: "RateLimit",
        engine: "fuzz",
        result: "violated",
        runs: 256,
        depth: 50,
        counterexample: "submit(<b>1</b>)",
        durationMs: 2000,
        statement: "a full bucket admits nothing",
        spec: "specs/RateLimit.spec.sol",
      },
    ],
  });
  await put("testnet/manifest.json", {
    stage: "testnet",
    buildHash: BUILD,
    runId: "20261201-100000-abcd",
    commit: "33ac9a0",
    network: "sepolia",
    chainId: 11155111,
    rpcUrl: "https://eth-sepolia.example/v2/SECRET-KEY",
    local: false,
    deploymentId: "testnet-20261201",
    deployer: "0x0000000000000000000000000000000000000001",
    parametersFile: "deploy/parameters/sepolia.json",
    parameters: {},
    contracts: {
      SolverRegistry: {
        contractName: "SolverRegistry",
        sourceName: "contracts/SolverRegistry.sol",
        address: ADDRESS,
        transactionHash: `0x${"11".repeat(32)}`,
        blockNumber: 7,
        constructorArgs: [],
        runtimeBytecodeHash: "0x",
        creationBytecodeHash: "0x",
        deployable: true,
      },
    },
    transactions: [],
    recordedAt: "2026-12-01T10:20:00.000Z",
  });
  await put("verify/verify.json", {
    contracts: [
      {
        contract: "SolverRegistry",
        address: ADDRESS,
        chainId: 11155111,
        bytecode: "match",
        sourcify: { status: "perfect", url: "https://repo.sourcify.dev/11155111/x" },
        explorer: { status: "failed", message: EVIL, url: "javascript:alert(1)" },
      },
    ],
  });
  await put("mainnet/rollout.json", { steps: [{ step: "deploy paused", status: "done" }, 42] });
  await put("mainnet/gates.json", "{ not json");
}

describe("pipeline: auditor page", function () {
  let reportRoot: string;
  let runDir: string;
  let html: string;
  const summary = fixtureSummary();

  before(async function () {
    reportRoot = await mkdtemp(path.join(tmpdir(), "intentkit-auditor-"));
    const store = new RunStore(reportRoot, RUN_REPORTERS);
    runDir = store.runDir(summary.runId);
    await mkdir(runDir, { recursive: true });
    await writeFixture(runDir);
    await store.create(summary);
    html = await readFile(path.join(runDir, AUDITOR_PAGE), "utf8");
  });
  after(() => rm(reportRoot, { recursive: true, force: true }));

  it("is written by RunStore.save beside summary.json, atomically (no temporary file left)", async function () {
    const entries = await readdir(runDir);
    expect(entries).to.include.members([AUDITOR_PAGE, "summary.json", "summary.md", "junit.xml"]);
    expect(entries.filter((e) => e.endsWith(".tmp"))).to.deep.equal([]);
    expect(html).to.match(/^<!doctype html>/);
    // It follows the summary: a second save with a changed state rewrites it.
    const store = new RunStore(reportRoot, RUN_REPORTERS);
    await store.save({ ...summary, finished: false });
    expect(await readFile(path.join(runDir, AUDITOR_PAGE), "utf8")).to.include("not finished");
  });

  it("names the run, the commit (dirty) and the buildHash, and has a row for every stage", function () {
    expect(html).to.include(summary.runId);
    expect(html).to.include(summary.commit);
    expect(html).to.include(BUILD);
    expect(html).to.include('<span class="badge bad">dirty</span>');
    for (const s of summary.stages) {
      const row = new RegExp(
        `<tr id="stage-${s.name}"><td>${s.name}</td><td><span class="badge [a-z]+">${s.status}</span>`,
      );
      expect(html, s.name).to.match(row);
    }
    expect(html).to.include("65 s");
    expect(html).to.include(`for another build: 0x${"cd".repeat(32)}`);
  });

  it("links only files that exist in the run folder", function () {
    const hrefs = [...html.matchAll(/href="\.\/([^"#]+)"/g)].map((m) => decodeURIComponent(m[1]));
    expect(hrefs.length).to.be.greaterThan(5);
    for (const href of hrefs) expect(existsSync(path.join(runDir, href)), href).to.equal(true);
    expect(hrefs).to.include.members([
      "test/lcov.info",
      "test/gas-stats.json",
      "static/slither.sarif",
      "static/findings.json",
      "specs/specs.json",
      "testnet/manifest.json",
      "verify/verify.json",
      "test/mocha-tests.log",
      "summary.json",
    ]);
    // Named in the test stage's outputs, but never written: shown as text, not linked.
    expect(hrefs).to.not.include("test/coverage-html/index.html");
    expect(html).to.include("coverageHtml: test/coverage-html/index.html");
  });

  it("shows the specs, the deployment, the rollout and the verification results", function () {
    expect(html).to.match(/<td>SolverRegistry<\/td><td><code>invariant_totalBonded<\/code>/);
    expect(html).to.include('<span class="badge good">proved</span>');
    expect(html).to.include('<span class="badge bad">violated</span>');
    expect(html).to.include("256 runs × depth 50");
    expect(html).to.include("network <b>sepolia</b>, chain id <b>11155111</b>");
    expect(html).to.include(`href="https://sepolia.etherscan.io/address/${ADDRESS}"`);
    expect(html).to.include("deploy paused");
    expect(html).to.include('<span class="badge good">match</span>');
    expect(html).to.include('<span class="badge good">perfect</span>');
    expect(html).to.include('href="https://repo.sourcify.dev/11155111/x"');
    // The RPC URL can carry an API key: the page never shows it.
    expect(html).to.not.include("SECRET-KEY");
  });

  it("escapes every value from the files and runs no script", function () {
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.match(/<img/i);
    expect(html).to.not.include("<b>1</b>");
    expect(html).to.include(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;",
    );
    expect(html).to.not.match(/href="javascript:/i);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("says which report it could not read instead of failing", function () {
    expect(html).to.include("Reports that could not be read");
    expect(html).to.include("<code>mainnet/gates.json</code>");
  });

  it("is pure and self-contained: the same input gives the same page, with no remote asset", async function () {
    const input = await readAuditorInput(runDir, summary);
    expect(renderAuditorPage(input)).to.equal(renderAuditorPage(input));
    expect(html).to.not.match(/<link|src="http|@import|url\(/i);
    const bare = renderAuditorPage({
      summary: { ...summary, stages: [] },
      files: [],
      specs: null,
      findings: null,
      testnet: null,
      mainnet: null,
      gates: "garbage",
      rollout: { steps: "not a list" },
      verify: 7,
      unreadable: {},
    });
    expect(bare).to.include("no property specs in this run");
    expect(bare).to.include("no deployment in this run");
    expect(bare).to.not.match(/href="\.\//);
  });
});
