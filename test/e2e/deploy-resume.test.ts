// A deployment killed midway resumes from Ignition's journal: it finishes at the addresses an
// uninterrupted deployment gets, and no contract is deployed twice. Only the killed deployment is
// an `npx hardhat` process; the resumed one and the reference run in-process.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { ACCOUNTS, HARDHAT_CLI, ROOT, terminalEnv } from "../mocha/tasks/harness.js";
import { startTaskEnv, type TaskEnv } from "../mocha/tasks/in-process.js";

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function recordOf(t: TaskEnv) {
  return JSON.parse(
    await readFile(path.join(ROOT, "ignition", "deployments", t.deploymentId, "intentkit.json"), "utf8"),
  );
}

/** Every contract-creation transaction on the chain, by the address it created. */
async function creations(t: TaskEnv): Promise<string[]> {
  const latest = Number(await t.rpc<string>("eth_blockNumber"));
  const created: string[] = [];
  for (let n = 1; n <= latest; n++) {
    const block = await t.rpc<{ transactions: { hash: string; to: string | null }[] }>("eth_getBlockByNumber", [
      `0x${n.toString(16)}`,
      true,
    ]);
    for (const tx of block.transactions.filter((tx) => tx.to === null)) {
      const receipt = await t.rpc<{ contractAddress: string }>("eth_getTransactionReceipt", [tx.hash]);
      created.push(receipt.contractAddress.toLowerCase());
    }
  }
  return created;
}

describe("tasks: system deploy killed midway and resumed", function () {
  this.timeout(300_000);
  let interrupted: TaskEnv;
  let reference: TaskEnv;

  after(async function () {
    await interrupted?.stop();
    await reference?.stop();
  });

  it("resumes without deploying anything twice, at the addresses of an uninterrupted run", async function () {
    interrupted = await startTaskEnv({ deploy: false });
    // With automine off, transactions wait in the mempool until the test mines them, so the
    // test decides exactly where the deployment stands when it is killed.
    await interrupted.rpc("evm_setAutomine", [false]);
    const deploy = spawn(process.execPath, [HARDHAT_CLI, "system", "deploy", "--network", "localhost"], {
      cwd: ROOT,
      env: terminalEnv({
        INTENTKIT_LOCALHOST_URL: interrupted.chain.url,
        INTENTKIT_DEPLOYMENT: interrupted.deploymentId,
      }),
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => deploy.once("exit", resolve));

    await until("the first batch is sent", async () => (await interrupted.nonce(ACCOUNTS.deployer)) > 0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the whole first batch arrive
    await interrupted.rpc("evm_mine");
    const minedBatch = Number(await interrupted.rpc<string>("eth_getTransactionCount", [ACCOUNTS.deployer, "latest"]));
    expect(minedBatch).to.be.greaterThan(0);
    await until("the next batch is sent", async () => (await interrupted.nonce(ACCOUNTS.deployer)) > minedBatch);
    deploy.kill("SIGKILL");
    await exited;

    const deployedBeforeKill = await creations(interrupted);
    expect(deployedBeforeKill.length, "contracts deployed before the kill").to.be.greaterThan(0);

    // The transaction sent just before the kill is still pending; the resumed run must adopt it.
    await interrupted.rpc("evm_setAutomine", [true]);
    const resumed = await interrupted.run("system deploy");
    expect(resumed.code, resumed.stderr).to.equal(0);

    const record = await recordOf(interrupted);
    const recorded = Object.values<{ address: string }>(record.contracts).map((c) => c.address.toLowerCase());
    const created = await creations(interrupted);
    expect(created, "one creation per contract").to.have.members(recorded);
    expect(created).to.have.length(recorded.length);
    for (const address of deployedBeforeKill) expect(recorded).to.include(address);

    reference = await startTaskEnv();
    const expected = await recordOf(reference);
    for (const [name, contract] of Object.entries<{ address: string }>(expected.contracts)) {
      expect(record.contracts[name].address, name).to.equal(contract.address);
    }
    // And the resumed system is wired: the registry answers to the verifier.
    const status = (await interrupted.ok("system status", ["--json"])).json();
    expect(status.rateLimits.maxActiveClaims).to.equal("10");
  });
});
