// The integration suite (test/integration) run exactly as the `integration` stage runs it
// (scripts/pipeline/integration/command.ts), as a subprocess, against a deployment on a local
// anvil node described by a deployment manifest: it must pass, pass again on the same deployment,
// and fail, naming the failing tests, when the manifest is wrong.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import type { DeploymentManifest } from "../../../scripts/pipeline/deploy/manifest.js";
import { integrationCommand } from "../../../scripts/pipeline/integration/command.js";
import { runHardhat, startTaskChain, type TaskChain } from "../tasks/harness.js";
import { manifestOf } from "./manifest-fixture.js";

/** Tests in test/integration: a test that goes missing must fail this suite, not pass unnoticed. */
const EXPECTED_TESTS = 15;

const PAUSED_SELECTOR = "0x5c975abb"; // paused()

interface MochaJson {
  stats: { tests: number; passes: number; failures: number; pending: number };
  tests: { fullTitle: string }[];
  passes: { fullTitle: string }[];
  failures: { fullTitle: string; err: { message: string } }[];
}

describe("pipeline: integration suite", function () {
  this.timeout(300_000);
  let chain: TaskChain;
  let dir: string;
  let manifest: DeploymentManifest;
  let manifestFile: string;

  before(async function () {
    chain = await startTaskChain();
    dir = await mkdtemp(path.join(tmpdir(), "intentkit-integration-"));
    manifest = await manifestOf(chain);
    manifestFile = path.join(dir, "manifest.json");
    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
  });

  after(async function () {
    await chain?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function runSuite(manifestPath: string, reportFile: string) {
    const { args, env } = integrationCommand(manifestPath, reportFile);
    const started = Date.now();
    const run = await runHardhat(args, { ...chain.env, ...env }, 240_000);
    return { ...run, seconds: (Date.now() - started) / 1000, output: `${run.stdout}\n${run.stderr}` };
  }

  async function readJson(file: string): Promise<MochaJson> {
    return JSON.parse(await readFile(file, "utf8")) as MochaJson;
  }

  async function expectUnpaused() {
    for (const name of ["IntentVerifier", "SolverRegistry"]) {
      const to = manifest.contracts[name].address;
      const word = await chain.rpc<string>("eth_call", [{ to, data: PAUSED_SELECTOR }, "latest"]);
      expect(BigInt(word), `${name} left paused`).to.equal(0n);
    }
  }

  it("passes against the deployment: every test of test/integration and nothing else, with a JSON report", async function () {
    const report = path.join(dir, "first.json");
    const run = await runSuite(manifestFile, report);
    expect(run.code, run.output).to.equal(0);
    expect(run.stdout).to.include(`${EXPECTED_TESTS} passing`);
    expect(run.stdout).to.not.include("failing");
    const json = await readJson(report);
    expect(json.stats).to.include({ tests: EXPECTED_TESTS, passes: EXPECTED_TESTS, failures: 0, pending: 0 });
    expect(
      json.tests.filter((t) => !t.fullTitle.startsWith("integration: ")),
      "tests from elsewhere",
    ).to.deep.equal([]);
    await expectUnpaused();
    console.log(`      (suite: ${EXPECTED_TESTS} tests in ${run.seconds.toFixed(1)} s, hardhat start-up included)`);
  });

  it("passes again on the same deployment (it assumes nothing of a fresh chain), with a JUnit report", async function () {
    const report = path.join(dir, "second.xml");
    const run = await runSuite(manifestFile, report);
    expect(run.code, run.output).to.equal(0);
    const xml = await readFile(report, "utf8");
    expect(xml).to.match(new RegExp(`<testsuite name="Mocha Tests" tests="${EXPECTED_TESTS}" failures="0" errors="0"`));
    expect(xml.match(/<testcase /g)).to.have.length(EXPECTED_TESTS);
    await expectUnpaused();
  });

  it("fails, naming the failing tests, when the manifest points the verifier at another contract", async function () {
    const registry = manifest.contracts.SolverRegistry.address;
    const wrong: DeploymentManifest = {
      ...manifest,
      contracts: { ...manifest.contracts, IntentVerifier: { ...manifest.contracts.IntentVerifier, address: registry } },
    };
    const wrongFile = path.join(dir, "wrong-verifier.json");
    await writeFile(wrongFile, JSON.stringify(wrong, null, 2));
    const report = path.join(dir, "wrong-verifier.json.report.json");

    const run = await runSuite(wrongFile, report);
    expect(run.code, run.output).to.equal(1);
    const bytecodeTest = "integration: deployment has the manifest's runtime bytecode at every address of the manifest";
    expect(run.stdout).to.include("has the manifest's runtime bytecode at every address of the manifest");
    expect(run.stdout).to.include(`IntentVerifier at ${registry}`);
    const json = await readJson(report);
    const failed = json.failures.map((f) => f.fullTitle);
    expect(failed).to.include(bytecodeTest);
    expect(json.failures.find((f) => f.fullTitle === bytecodeTest)?.err.message).to.include(
      "contracts whose code differs from the manifest",
    );
    expect(failed).to.include(
      "integration: deployment wires the registry and the verifier to each other and gives the deployer every role",
    );
    expect(
      failed.some((t) => t.startsWith("integration: claim and settlement")),
      "settlement tests failed",
    ).to.equal(true);
    // The registry is right, so the registry's own tests still pass: the failures are the verifier's.
    expect(json.passes.map((p) => p.fullTitle).filter((t) => t.startsWith("integration: solvers"))).to.have.length(2);
    expect(json.stats.tests).to.equal(EXPECTED_TESTS);
    await expectUnpaused();
  });

  it("fails with one line naming the problem when the manifest file does not exist", async function () {
    const missing = path.join(dir, "no-such-manifest.json");
    const report = path.join(dir, "missing.json");
    const run = await runSuite(missing, report);
    expect(run.code, run.output).to.equal(1);
    expect(run.stdout).to.include(
      `IntegrationSetupError: cannot read the deployment manifest ${missing} (INTENTKIT_INTEGRATION_MANIFEST): no such file`,
    );
    const json = await readJson(report);
    expect(json.stats).to.include({ passes: 0, failures: 1 });
    expect(json.failures[0].fullTitle).to.include('"before all" hook: connect to the deployment in the manifest');
  });
});
