// A deployment killed between Ignition's two journal writes for one transaction (the nonce it
// took, then the hash) resumes with `system deploy` alone, at each of the three places that
// transaction can be: mined, still in the node's pool, or never sent. Each case cuts a completed
// deployment's journal right after its last nonce was taken, and puts the chain where it would be.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { deploymentDir } from "../../../deploy/record.js";
import { findUnrecordedSends } from "../../../deploy/unrecorded-sends.js";
import { ACCOUNTS, ROOT } from "./harness.js";
import { startTaskEnv, type TaskEnv } from "./in-process.js";

interface RpcTransaction {
  hash: string;
  from: string;
  to: string | null;
  input: string;
  value: string;
  nonce: string;
  gas: string;
}

describe("tasks: system deploy resumes a transaction sent but not journalled", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let journalFile: string;
  let completeJournal: string;
  let lastTransaction: RpcTransaction;

  before(async function () {
    t = await startTaskEnv();
    journalFile = path.join(deploymentDir(ROOT, t.deploymentId), "journal.jsonl");
    completeJournal = await readFile(journalFile, "utf8");
    const count = Number(await t.rpc<string>("eth_getTransactionCount", [ACCOUNTS.deployer, "latest"]));
    const latest = await t.rpc<{ transactions: RpcTransaction[] }>("eth_getBlockByNumber", ["latest", true]);
    lastTransaction = latest.transactions[0];
    expect(Number(lastTransaction.nonce), "the deployment's last transaction is the latest block's").to.equal(
      count - 1,
    );
  });
  after(async function () {
    await t?.stop();
  });

  /** The journal as a run killed just after taking the last transaction's nonce leaves it. */
  async function cutJournal(): Promise<void> {
    const lines = completeJournal.split("\n");
    const lastNonceTaken = lines.findLastIndex((line) => line.includes('"TRANSACTION_PREPARE_SEND"'));
    await writeFile(journalFile, lines.slice(0, lastNonceTaken + 1).join("\n"));
    const { sends } = await findUnrecordedSends(path.dirname(journalFile));
    expect(sends.map((s) => s.nonce)).to.deep.equal([Number(lastTransaction.nonce)]);
  }

  async function expectResumedCleanly(resumed: { code: number; stderr: string }, blocksBefore: number) {
    expect(resumed.code, resumed.stderr).to.equal(0);
    expect(await findUnrecordedSends(path.dirname(journalFile))).to.have.property("sends").that.is.empty;
    // Nothing beyond the one transaction the deployment needed: the same nonce count as before.
    expect(await t.nonce(ACCOUNTS.deployer)).to.equal(Number(lastTransaction.nonce) + 1);
    expect(Number(await t.rpc<string>("eth_blockNumber"))).to.be.at.most(blocksBefore + 1);
    const status = (await t.ok("system status", ["--json"])).json();
    expect(status.rateLimits.maxActiveClaims).to.equal("10");
  }

  it("adopts the transaction when it was mined", async function () {
    await cutJournal();
    const blocks = Number(await t.rpc<string>("eth_blockNumber"));
    const resumed = await t.run("system deploy");
    expect(resumed.stderr).to.include(`sent ${lastTransaction.hash}`).and.include("adopted");
    await expectResumedCleanly(resumed, blocks);
    expect(Number(await t.rpc<string>("eth_blockNumber")), "nothing sent").to.equal(blocks);
  });

  it("adopts the transaction when it is still in the node's pool", async function () {
    await t.rpc("anvil_rollback", [1]);
    await t.rpc("evm_setAutomine", [false]);
    const pooled = await t.rpc<string>("eth_sendTransaction", [
      {
        from: lastTransaction.from,
        ...(lastTransaction.to ? { to: lastTransaction.to } : {}),
        data: lastTransaction.input,
        value: lastTransaction.value,
        nonce: lastTransaction.nonce,
        gas: lastTransaction.gas,
      },
    ]);
    await cutJournal();
    // The pooled transaction is mined a second from now, while the resumed run waits for it.
    await t.rpc("evm_setIntervalMining", [1]);
    const blocks = Number(await t.rpc<string>("eth_blockNumber"));
    try {
      const resumed = await t.run("system deploy");
      expect(resumed.stderr).to.include(`sent ${pooled}`).and.include("adopted");
      await expectResumedCleanly(resumed, Number.MAX_SAFE_INTEGER);
      expect(Number(await t.rpc<string>("eth_blockNumber"))).to.be.greaterThan(blocks);
    } finally {
      await t.rpc("evm_setIntervalMining", [0]);
      await t.rpc("evm_setAutomine", [true]);
    }
  });

  it("sends the transaction when it never reached the node", async function () {
    await t.rpc("anvil_rollback", [1]);
    // A rolled-back block's transactions go nowhere: the nonce is free again.
    expect(await t.nonce(ACCOUNTS.deployer)).to.equal(Number(lastTransaction.nonce));
    await cutJournal();
    const blocks = Number(await t.rpc<string>("eth_blockNumber"));
    const resumed = await t.run("system deploy");
    expect(resumed.stderr).to.include(`took nonce ${Number(lastTransaction.nonce)} but never sent it; sent now`);
    await expectResumedCleanly(resumed, blocks);
  });
});
