// The delivery stages end to end on a throwaway copy of the project: one full pipeline run on
// local chains (testnet, integration, mainnet rollout, verify), then each mainnet gate refusing
// on its own, a rollout killed after its deploy step and resumed, a smoke check that fails and
// leaves the system paused, a tampered contract that verify catches, and a changed contract that
// the gates refuse because the testnet ran another build.
//
// Once the full run has passed, the other cases run in two lanes side by side, each on its own
// copy of the state that run left: the gate refusals, the failed smoke check and the changed
// contract (which compiles) one after another on a clone; the resumed rollout and then the tamper
// case (which inspects the resumed deployment) on the copy itself. Each test awaits its case and
// fails with the case's own assertion.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { appendFile, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { JsonRpcProvider, id } from "ethers";

import { stopRunChains } from "../../scripts/pipeline/deploy/chains.js";
import { processAlive, rpc } from "../../scripts/lib/local-chain.js";
import { IntentVerifier__factory, SolverRegistry__factory } from "../../types/ethers-contracts/index.js";
import { copyProject, type ProjectCopy } from "./project-copy.js";

const APPROVAL = { INTENTKIT_MAINNET_APPROVAL: "1337" };
const REHEARSAL_ADMIN = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

const runDir = (copy: ProjectCopy, summary: { runId: string }) =>
  path.join(copy.root, "reports", "pipeline", summary.runId);
const json = async (file: string) => JSON.parse(await readFile(file, "utf8"));
const gates = async (copy: ProjectCopy, summary: { runId: string }) =>
  (await json(path.join(runDir(copy, summary), "mainnet", "gates.json"))) as Array<{
    gate: string;
    ok: boolean;
    detail: string;
  }>;
const stage = (summary: any, name: string) => summary.stages.find((s: any) => s.name === name);
const chainsOf = async (copy: ProjectCopy, summary: { runId: string }) =>
  json(path.join(runDir(copy, summary), "chains.json"));
const rollout = async (copy: ProjectCopy, summary: any) => {
  const deploymentId = stage(summary, "mainnet").outputs.deploymentId ?? `rehearsal-${summary.runId}-mainnet`;
  return json(path.join(copy.root, "ignition", "deployments", deploymentId, "rollout.json"));
};

async function stopAllRunChains(copy: ProjectCopy): Promise<void> {
  const reports = path.join(copy.root, "reports", "pipeline");
  if (!existsSync(reports)) return;
  for (const entry of await readdir(reports)) await stopRunChains(path.join(reports, entry)).catch(() => []);
}

/** The gates refuse a tree with a change nobody committed, before touching any network. */
async function dirtyTreeRefused(copy: ProjectCopy): Promise<void> {
  await writeFile(path.join(copy.root, "hotfix.txt"), "not committed\n");
  try {
    const result = await copy.pipeline(["--only", "build,mainnet"], APPROVAL);
    expect(result.code).to.not.equal(0);
    const summary = await copy.summary();
    expect(stage(summary, "mainnet").reason).to.match(/refused: clean tree: uncommitted changes \(hotfix\.txt\)/);
    const refused = (await gates(copy, summary)).filter((g) => !g.ok).map((g) => g.gate);
    expect(refused).to.deep.equal(["clean tree"]);
    expect(existsSync(path.join(runDir(copy, summary), "chains.json")), "no node was started").to.equal(false);
  } finally {
    await rm(path.join(copy.root, "hotfix.txt"));
  }
}

async function unconfirmedRefused(copy: ProjectCopy): Promise<void> {
  const result = await copy.pipeline(["--only", "build,mainnet"]);
  expect(result.code).to.not.equal(0);
  const summary = await copy.summary();
  expect(stage(summary, "mainnet").reason).to.match(/refused: confirmation: not confirmed/);
  expect((await gates(copy, summary)).filter((g) => !g.ok).map((g) => g.gate)).to.deep.equal(["confirmation"]);
  await stopRunChains(runDir(copy, summary));

  const wrong = await copy.pipeline(["--only", "build,mainnet", "--confirm", "1"]);
  expect(wrong.code).to.not.equal(0);
  const second = await copy.summary();
  expect(stage(second, "mainnet").reason).to.match(/confirmed chain id 1, but the network is chain 1337/);
  await stopRunChains(runDir(copy, second));
}

async function notProductionRefused(copy: ProjectCopy): Promise<void> {
  const config = JSON.parse(await readFile(path.join(copy.root, "pipeline.config.json"), "utf8"));
  await copy.configure({ networks: { rehearsalMainnet: { production: false } } });
  await copy.commitAll("rehearsal mainnet not production");
  try {
    const result = await copy.pipeline(["--only", "build,mainnet"], APPROVAL);
    expect(result.code).to.not.equal(0);
    const summary = await copy.summary();
    expect(stage(summary, "mainnet").reason).to.match(
      /production network: network "rehearsalMainnet" is not marked production/,
    );
    expect((await gates(copy, summary)).filter((g) => !g.ok).map((g) => g.gate)).to.deep.equal(["production network"]);
  } finally {
    await copy.configure({ networks: config.networks });
    await copy.commitAll("rehearsal mainnet production again");
  }
}

/** A rollout killed after its deploy step, then `--resume`: returns the resumed run's summary. */
async function killedRolloutResumed(copy: ProjectCopy): Promise<any> {
  const killed = await copy.pipeline(["--only", "build,mainnet"], {
    ...APPROVAL,
    INTENTKIT_PIPELINE_FAULT: "mainnet:after-deploy",
  });
  expect(killed.code).to.not.equal(0);
  const crashed = await copy.summary();
  expect(stage(crashed, "mainnet").status, "killed mid-stage").to.equal("running");
  const before = await rollout(copy, crashed);
  expect(before.steps.map((s: any) => s.status)).to.deep.equal(["done", "pending", "pending", "pending"]);
  const chain = (await chainsOf(copy, crashed)).mainnet;
  expect(processAlive(chain.pid), "the rehearsal mainnet outlives the crash").to.equal(true);
  const nonceAtCrash = Number(await rpc<string>(chain.url, "eth_getTransactionCount", [DEPLOYER, "latest"]));

  const result = await copy.pipeline(["--resume"], APPROVAL);
  expect(result.code, result.stderr + result.stdout).to.equal(0);
  const resumed = await copy.summary();
  expect(resumed.runId).to.equal(crashed.runId);
  expect(stage(resumed, "mainnet").status).to.equal("passed");
  const after = await rollout(copy, resumed);
  expect(after.steps.map((s: any) => `${s.name}:${s.status}:${s.attempts}`)).to.deep.equal([
    "deploy:done:1",
    "smoke:done:1",
    "promote:done:1",
    "handover:done:1",
  ]);

  // Every transaction the deployer sent after the crash is one of promote's or handover's: none
  // of them created a contract.
  const sentAfter =
    Number(await rpc<string>(chain.url, "eth_getTransactionCount", [DEPLOYER, "latest"])) - nonceAtCrash;
  const rolloutTxs = after.steps.filter((s: any) => s.name !== "deploy").flatMap((s: any) => s.transactions);
  const fromDeployer = rolloutTxs.filter((t: any) => !t.what.includes("(as admin)"));
  expect(sentAfter).to.equal(fromDeployer.length);
  for (const tx of rolloutTxs) {
    const receipt = await rpc<{ contractAddress: string | null; status: string }>(
      chain.url,
      "eth_getTransactionReceipt",
      [tx.hash],
    );
    expect(receipt.contractAddress, tx.what).to.equal(null);
    expect(receipt.status).to.equal("0x1");
  }

  const manifest = await json(path.join(runDir(copy, resumed), "mainnet", "manifest.json"));
  const provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
  try {
    const verifier = IntentVerifier__factory.connect(manifest.contracts.IntentVerifier.address, provider);
    const registry = SolverRegistry__factory.connect(manifest.contracts.SolverRegistry.address, provider);
    expect(await verifier.paused()).to.equal(false);
    expect(await registry.paused()).to.equal(false);
    const [, , userLimit, userWindow] = await verifier.rateLimits();
    expect([userLimit, userWindow]).to.deep.equal([
      BigInt(manifest.parameters.rateLimits.user.limit),
      BigInt(manifest.parameters.rateLimits.user.window),
    ]);
    expect(await verifier.defaultAdmin()).to.equal(REHEARSAL_ADMIN);
    expect(await registry.defaultAdmin()).to.equal(REHEARSAL_ADMIN);
    expect(await verifier.hasRole(id("GUARDIAN_ROLE"), DEPLOYER)).to.equal(false);
    expect(await verifier.hasRole(id("GUARDIAN_ROLE"), REHEARSAL_ADMIN)).to.equal(true);
  } finally {
    provider.destroy();
  }
  return resumed;
}

/** One byte of the resumed deployment's IntentVerifier changed on chain: verify must fail. */
async function tamperFailsVerify(copy: ProjectCopy, resumed: any): Promise<void> {
  const chain = (await chainsOf(copy, resumed)).mainnet;
  const manifest = await json(path.join(runDir(copy, resumed), "mainnet", "manifest.json"));
  const address = manifest.contracts.IntentVerifier.address;
  const code = await rpc<string>(chain.url, "eth_getCode", [address, "latest"]);
  // One byte in the middle of the code, far from the metadata and (with odds of ~1 in 50) from
  // the immutables: the contract on chain is no longer what the build produced.
  const at = 2 + 2 * Math.floor((code.length - 2) / 4);
  const flipped = (parseInt(code.slice(at, at + 2), 16) ^ 0xff).toString(16).padStart(2, "0");
  await rpc(chain.url, "anvil_setCode", [address, code.slice(0, at) + flipped + code.slice(at + 2)]);

  const result = await copy.pipeline(["--only", "build,verify"]);
  expect(result.code).to.not.equal(0);
  const summary = await copy.summary();
  expect(stage(summary, "verify").status).to.equal("failed");
  expect(stage(summary, "verify").reason).to.match(/IntentVerifier/);
  const report = await json(path.join(runDir(copy, summary), "verify", "verify.json"));
  expect(report.ok).to.equal(false);
  await rpc(chain.url, "anvil_setCode", [address, code]);
}

/** A smoke check fails after the deploy step: the rollout stops with the system paused. */
async function smokeCheckFails(copy: ProjectCopy): Promise<void> {
  const killed = await copy.pipeline(["--only", "build,mainnet"], {
    ...APPROVAL,
    INTENTKIT_PIPELINE_FAULT: "mainnet:after-deploy",
  });
  expect(killed.code).to.not.equal(0);
  const crashed = await copy.summary();
  const chain = (await chainsOf(copy, crashed)).mainnet;
  const manifest = await json(path.join(runDir(copy, crashed), "mainnet", "manifest.json"));
  // Between deploy and promote someone with the rate-limit role changes the user limit.
  const verifierInterface = IntentVerifier__factory.createInterface();
  await rpc(chain.url, "eth_sendTransaction", [
    {
      from: DEPLOYER,
      to: manifest.contracts.IntentVerifier.address,
      data: verifierInterface.encodeFunctionData("setUserRateLimit", [77, 900]),
    },
  ]);

  const result = await copy.pipeline(["--resume"], APPROVAL);
  expect(result.code).to.not.equal(0);
  const summary = await copy.summary();
  const reason = stage(summary, "mainnet").reason;
  expect(reason).to.match(
    /smoke checks failed, the system stays paused: verifier: canary user limit is 77\/900s, expected 5\/900s/,
  );
  expect(reason).to.match(/Roll back: /);
  expect(result.stderr).to.match(/Roll back: /);
  const steps = (await rollout(copy, summary)).steps;
  expect(steps.map((s: any) => s.status)).to.deep.equal(["done", "failed", "pending", "pending"]);
  const provider = new JsonRpcProvider(chain.url, undefined, { staticNetwork: true });
  try {
    expect(
      await IntentVerifier__factory.connect(manifest.contracts.IntentVerifier.address, provider).paused(),
    ).to.equal(true);
    expect(
      await SolverRegistry__factory.connect(manifest.contracts.SolverRegistry.address, provider).paused(),
    ).to.equal(true);
  } finally {
    provider.destroy();
  }
  await stopRunChains(runDir(copy, summary));
}

/** A deployable contract changed after the testnet stage: the gates refuse the other build. */
async function changedBuildRefused(copy: ProjectCopy): Promise<void> {
  // SolverRegistry rather than IntentVerifier: the smaller of the two deployables, so the build
  // stage recompiles less; either change gives the build another buildHash.
  const source = path.join(copy.root, "contracts", "SolverRegistry.sol");
  await appendFile(source, "// changed after the testnet stage\n");
  await copy.commitAll("change a contract after the testnet stage");
  const result = await copy.pipeline(["--only", "build,mainnet"], APPROVAL);
  expect(result.code).to.not.equal(0);
  const summary = await copy.summary();
  const refused = (await gates(copy, summary)).filter((g) => !g.ok);
  expect(refused.map((g) => g.gate)).to.include.members(["passed: testnet", "passed: integration"]);
  expect(refused.find((g) => g.gate === "passed: testnet")?.detail).to.match(
    /^buildHash mismatch: testnet last passed for 0x[0-9a-f]{64}/,
  );
  expect(stage(summary, "mainnet").reason).to.match(/buildHash mismatch/);
}

/**
 * Runs `steps` one after another from now on, each once the one before has settled, and returns
 * their outcomes for the tests to await. A rejection before its test awaits it is not unhandled.
 */
function lane(steps: Array<() => Promise<unknown>>): Array<Promise<unknown>> {
  let previous: Promise<unknown> = Promise.resolve();
  return steps.map((step) => {
    const outcome = previous.catch(() => undefined).then(step);
    outcome.catch(() => undefined);
    previous = outcome;
    return outcome;
  });
}

type CaseName = "dirtyTree" | "unconfirmed" | "notProduction" | "resumedRollout" | "tamper" | "smoke" | "changedBuild";

describe("pipeline: delivery stages on local chains", function () {
  this.timeout(25 * 60_000); // above the pipeline runs' own guard (test/e2e/project-copy.ts)
  let project: ProjectCopy;
  let clone: ProjectCopy | undefined;
  let cases: Record<CaseName, Promise<unknown>> | undefined;
  const outcome = (name: CaseName) =>
    cases?.[name] ?? Promise.reject(new Error("the full pipeline run did not pass; there is nothing to build on"));

  before(async function () {
    project = await copyProject();
    // The SMT specs only: the fuzz campaigns are the specs stage's business, tested on their own.
    await project.configureSpecs({ include: ["RateLimit"] });
    await project.commitAll();
  });

  after(async function () {
    if (cases !== undefined) await Promise.allSettled(Object.values(cases));
    for (const copy of [clone, project]) {
      if (copy === undefined) continue;
      await stopAllRunChains(copy);
      await copy.remove();
    }
  });

  it("runs every stage on local chains, all passed, and leaves the auditor page", async function () {
    const started = Date.now();
    const result = await project.pipeline([], APPROVAL);
    expect(result.code, result.stderr + result.stdout).to.equal(0);
    const summary = await project.summary();
    for (const s of summary.stages) expect(s.status, `${s.name}: ${s.reason}`).to.equal("passed");
    console.log(`      full pipeline on the copy: ${Math.round((Date.now() - started) / 1000)} s`);

    const dir = runDir(project, summary);
    const testnet = await json(path.join(dir, "testnet", "manifest.json"));
    const mainnet = await json(path.join(dir, "mainnet", "manifest.json"));
    expect(testnet.buildHash).to.equal(summary.buildHash);
    expect(mainnet.buildHash).to.equal(summary.buildHash);
    expect(testnet.chainId).to.equal(31337);
    expect(mainnet.chainId).to.equal(1337);

    const steps = (await rollout(project, summary)).steps;
    expect(steps.map((s: any) => `${s.name}:${s.status}:${s.attempts}`)).to.deep.equal([
      "deploy:done:1",
      "smoke:done:1",
      "promote:done:1",
      "handover:done:1",
    ]);
    const verify = await json(path.join(dir, "verify", "verify.json"));
    expect(verify.ok).to.equal(true);

    const page = await readFile(path.join(dir, "index.html"), "utf8");
    for (const link of [
      "test/coverage-html/index.html",
      "static/slither.sarif",
      "specs/specs.json",
      "verify/verify.json",
    ]) {
      expect(page).to.include(`href="./${link}"`);
    }
    // A run that went all the way stops its chains.
    for (const chain of Object.values(await chainsOf(project, summary)) as Array<{ pid: number }>) {
      expect(processAlive(chain.pid)).to.equal(false);
    }

    // The lanes start here (see the top of the file).
    clone = await project.clone();
    const laneClone = clone;
    const [dirtyTree, unconfirmed, notProduction, smoke, changedBuild] = lane([
      () => dirtyTreeRefused(laneClone),
      () => unconfirmedRefused(laneClone),
      () => notProductionRefused(laneClone),
      () => smokeCheckFails(laneClone),
      () => changedBuildRefused(laneClone),
    ]);
    let resumed: any;
    const [resumedRollout, tamper] = lane([
      async () => (resumed = await killedRolloutResumed(project)),
      () =>
        resumed === undefined
          ? Promise.reject(new Error("the resumed rollout this case tampers with did not pass"))
          : tamperFailsVerify(project, resumed),
    ]);
    cases = { dirtyTree, unconfirmed, notProduction, resumedRollout, tamper, smoke, changedBuild };
  });

  it("refuses the rollout from a dirty tree, naming the change, before touching any network", async function () {
    await outcome("dirtyTree");
  });

  it("refuses the rollout without the operator's confirmation", async function () {
    await outcome("unconfirmed");
  });

  it("refuses a network that is not marked production", async function () {
    await outcome("notProduction");
  });

  it("resumes a rollout killed after its deploy step: nothing deployed twice, the system promoted", async function () {
    await outcome("resumedRollout");
  });

  it("fails verify when a deployed contract's code differs from the artifact", async function () {
    await outcome("tamper");
  });

  it("keeps the system paused when a smoke check fails, and says how to roll back", async function () {
    await outcome("smoke");
  });

  it("refuses to roll out a build other than the one the testnet ran (buildHash mismatch)", async function () {
    await outcome("changedBuild");
  });
});
