import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id, keccak256 } from "ethers";

import { ACCOUNTS, ROOT } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";

describe("tasks: system deploy and system status on a local node", function () {
  this.timeout(300_000);
  let t: TaskEnv;

  before(async function () {
    t = await startTaskEnv();
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);

  it("records every contract with its transaction, block and on-chain bytecode hash", async function () {
    const record = JSON.parse(
      await readFile(path.join(ROOT, "ignition", "deployments", t.deploymentId, "intentkit.json"), "utf8"),
    );
    expect(record.chainId).to.equal(31337);
    expect(Object.keys(record.contracts)).to.have.members([
      "MockSTK",
      "MockWETH",
      "MockUSDC",
      "SolverRegistry",
      "IntentVerifier",
    ]);
    for (const contract of Object.values<any>(record.contracts)) {
      const code = await t.rpc<string>("eth_getCode", [contract.address, "latest"]);
      expect(contract.runtimeBytecodeHash).to.equal(keccak256(code));
      const receipt = await t.rpc<any>("eth_getTransactionReceipt", [contract.transactionHash]);
      expect(receipt.contractAddress.toLowerCase()).to.equal(contract.address.toLowerCase());
      expect(Number(receipt.blockNumber)).to.equal(contract.blockNumber);
    }
    expect(record.stakeToken).to.equal(record.contracts.MockSTK.address);
  });

  it("wires the system as the parameters say (system status --json)", async function () {
    const status = (await t.ok("system status", ["--json"])).json();
    expect(status.paused).to.deep.equal({ verifier: false, registry: false });
    expect(status.rateLimits.user).to.deep.equal({ limit: "50", window: "900" });
    expect(status.rateLimits.maxActiveClaims).to.equal("10");
    expect(status.bounds.minBond).to.equal((1000n * 10n ** 18n).toString());
    expect(status.bounds.tokenPolicies).to.have.length(4);
    expect(status.roles.verifier.GUARDIAN_ROLE).to.deep.equal([ACCOUNTS.deployer]);
    // The registry takes outcomes from this verifier only.
    const verifierOfRegistry = await t.rpc<string>("eth_call", [
      { to: status.contracts.SolverRegistry, data: id("verifier()").slice(0, 10) },
      "latest",
    ]);
    expect(BigInt(verifierOfRegistry)).to.equal(BigInt(status.contracts.IntentVerifier));
  });

  it("changes nothing when a completed deployment is run again", async function () {
    const file = path.join(ROOT, "ignition", "deployments", t.deploymentId, "intentkit.json");
    const before = await readFile(file, "utf8");
    const nonce = await t.nonce(ACCOUNTS.deployer);
    await t.ok("system deploy");
    expect(await t.nonce(ACCOUNTS.deployer)).to.equal(nonce);
    expect(await readFile(file, "utf8")).to.equal(before);
  });

  describe("bad input: one line, non-zero exit, nothing sent", function () {
    async function expectRejected(task: string, args: string[], message: RegExp) {
      const nonce = await t.nonce(ACCOUNTS.deployer);
      const result = await t.run(task, args);
      expect(result.code, result.stderr).to.not.equal(0);
      const lines = result.stderr.trim().split("\n");
      expect(lines, result.stderr).to.have.length(1);
      expect(lines[0]).to.match(/^error: /);
      expect(lines[0]).to.match(message);
      expect(await t.nonce(ACCOUNTS.deployer)).to.equal(nonce);
    }

    it("names the bad field of a parameters file", async function () {
      const dir = await mkdtemp(path.join(tmpdir(), "intentkit-params-"));
      const params = JSON.parse(await readFile(path.join(ROOT, "deploy/parameters/localhost.json"), "utf8"));
      params.rateLimits.user.window = 0;
      await writeFile(path.join(dir, "bad.json"), JSON.stringify(params));
      await expectRejected(
        "system deploy",
        ["--parameters", path.join(dir, "bad.json"), "--deployment", "test-never"],
        /rateLimits\.user\.window/,
      );
      params.rateLimits.user.window = 900;
      params.treasury = "0x1234";
      await writeFile(path.join(dir, "bad.json"), JSON.stringify(params));
      await expectRejected(
        "system deploy",
        ["--parameters", path.join(dir, "bad.json"), "--deployment", "test-never"],
        /treasury/,
      );
    });

    it("refuses a missing parameters file", async function () {
      await expectRejected(
        "system deploy",
        ["--parameters", "nowhere.json"],
        /no deployment parameters at .*nowhere\.json/,
      );
    });

    it("says so when intentkit is not deployed there", async function () {
      await expectRejected(
        "system status",
        ["--deployment", "test-nothing-here"],
        /not deployed on network "localhost"/,
      );
    });

    // "says so when the node is not running" and "asks for the keystore entry a configured
    // network needs" run `npx hardhat` with another network or URL: they are in cli.test.ts.

    it("refuses an unknown engine or a port out of range for chain start", async function () {
      await expectRejected("chain start", ["--engine", "ganache"], /--engine: "ganache" is not one of anvil, hardhat/);
      await expectRejected("chain start", ["--port", "99999"], /--port: 99999 is out of range \[1, 65535\]/);
    });

    it("refuses a malformed duration for chain advance", async function () {
      await expectRejected("chain advance", ["--by", "soon"], /--by: "soon" is not a duration/);
    });
  });
});

describe("tasks: deployment parameters and networks", function () {
  this.timeout(300_000);
  let local: TaskEnv;
  let other: TaskEnv;

  before(async function () {
    local = await startTaskEnv();
    other = await startTaskEnv({ chainId: 5151, deploy: false });
  });
  after(async function () {
    await local?.stop();
    await other?.stop();
  });
  revertEach(() => local);

  it("grants the roles the parameters name, on top of the deployer's", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "intentkit-params-"));
    const params = JSON.parse(await readFile(path.join(ROOT, "deploy/parameters/localhost.json"), "utf8"));
    params.roles = { guardians: [ACCOUNTS.other], rateLimitAdmins: [ACCOUNTS.solver] };
    await writeFile(path.join(dir, "roles.json"), JSON.stringify(params));
    await local.ok("system deploy", ["--parameters", path.join(dir, "roles.json"), "--deployment", "test-with-roles"]);
    try {
      const status = (await local.ok("system status", ["--deployment", "test-with-roles", "--json"])).json();
      expect(status.roles.verifier.GUARDIAN_ROLE).to.have.members([ACCOUNTS.deployer, ACCOUNTS.other]);
      expect(status.roles.registry.GUARDIAN_ROLE).to.have.members([ACCOUNTS.deployer, ACCOUNTS.other]);
      expect(status.roles.verifier.RATE_LIMIT_ADMIN_ROLE).to.have.members([ACCOUNTS.deployer, ACCOUNTS.solver]);
      expect(status.roles.verifier.POLICY_ADMIN_ROLE).to.deep.equal([ACCOUNTS.deployer]);
    } finally {
      await rm(path.join(ROOT, "ignition", "deployments", "test-with-roles"), { recursive: true, force: true });
    }
  });

  it("refuses mock tokens on a chain that is not local", async function () {
    const nonce = await other.nonce(ACCOUNTS.deployer);
    const result = await other.run("system deploy");
    expect(result.code).to.not.equal(0);
    expect(result.stderr.trim().split("\n")).to.have.length(1);
    expect(result.stderr).to.match(/deploys mock tokens, which are for local chains only; .* chain 5151/);
    expect(await other.nonce(ACCOUNTS.deployer)).to.equal(nonce);
  });

  it("refuses a deployment recorded for another chain (wrong network)", async function () {
    const result = await other.run("system status", ["--deployment", local.deploymentId]);
    expect(result.code).to.not.equal(0);
    expect(result.stderr.trim()).to.equal(
      `error: wrong network: deployment "${local.deploymentId}" is on chain 31337, but network "localhost" is chain 5151`,
    );
  });

  it("says the record is stale when the chain behind it was restarted", async function () {
    const fresh = await startTaskEnv({ port: 0, deploy: false });
    try {
      const result = await fresh.run("system status", ["--deployment", local.deploymentId]);
      expect(result.code).to.not.equal(0);
      expect(result.stderr).to.match(/belongs to an earlier chain \(was the node restarted\?\); redeploy/);
    } finally {
      await fresh.stop();
    }
  });
});
