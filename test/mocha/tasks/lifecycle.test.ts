// The whole lifecycle, as an operator types it: a real local node, the Ignition deployment, and
// every step a separate `npx hardhat <task>` process; every state read back with intent status.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Interface, parseEther } from "ethers";

import { ACCOUNTS } from "./harness.js";
import { expectRejected } from "./helpers.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";

const erc20 = new Interface(["function balanceOf(address) view returns (uint256)"]);
const registryAbi = new Interface(["function creditOf(address) view returns (uint256 amount, uint256 unlocksAt)"]);

describe("tasks: the intent lifecycle on a local node", function () {
  this.timeout(600_000);
  let t: TaskEnv;
  let tokens: Record<string, string>;
  let registry: string;

  async function status(id: string) {
    return (await t.ok("intent status", [id, "--json"])).json();
  }
  async function balance(token: string, account: string): Promise<bigint> {
    const data = erc20.encodeFunctionData("balanceOf", [account]);
    return BigInt(await t.rpc<string>("eth_call", [{ to: tokens[token], data }, "latest"]));
  }
  async function credit(account: string): Promise<bigint> {
    const data = registryAbi.encodeFunctionData("creditOf", [account]);
    const result = await t.rpc<string>("eth_call", [{ to: registry, data }, "latest"]);
    return registryAbi.decodeFunctionResult("creditOf", result).amount as bigint;
  }
  async function submit(args: string[]): Promise<string> {
    return (await t.ok("intent submit", [...args, "--from", "2", "--approve", "--json"])).json().id;
  }

  before(async function () {
    t = await startTaskEnv();
    tokens = (await t.ok("system status", ["--json"])).json().contracts;
    registry = tokens.SolverRegistry;
    tokens = { STK: tokens["mock STK"], WETH: tokens["mock WETH"], USDC: tokens["mock USDC"] };
    await t.ok("token mint", ["--token", "STK", "--to", ACCOUNTS.solver, "--amount", "2000"]);
    await t.ok("token mint", ["--token", "WETH", "--to", ACCOUNTS.user, "--amount", "10"]);
    await t.ok("token mint", ["--token", "USDC", "--to", ACCOUNTS.solver, "--amount", "10000"]);
    // 1,500 STK: two slashes of 100 leave the solver above the 1,000 minimum, so it stays active.
    await t.ok("solver register", ["--bond", "1500", "--approve", "--from", "1"]);
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);

  it("swap, submitted directly: Pending → Executing → Completed, and the recipient is paid", async function () {
    const id = await submit([
      "--type",
      "swap",
      "--token",
      "WETH",
      "--amount",
      "1",
      "--token-out",
      "USDC",
      "--min-out",
      "3000",
      "--recipient",
      ACCOUNTS.recipient,
    ]);
    expect((await status(id)).status).to.equal("Pending");

    await t.ok("intent claim", [id, "--from", "1"]);
    const claimed = await status(id);
    expect(claimed.status).to.equal("Executing");
    expect(claimed.solver).to.equal(ACCOUNTS.solver);

    const before = await balance("USDC", ACCOUNTS.recipient);
    await t.ok("intent fulfill", [id, "--from", "1", "--approve", "--amount-out", "3010"]);
    const done = await status(id);
    expect(done.status).to.equal("Completed");
    const completed = done.history.find((h: { event: string }) => h.event === "IntentCompleted");
    expect(Number(completed.args.gasUsed)).to.be.greaterThan(0);
    expect(done.history.map((h: { event: string }) => h.event)).to.deep.equal([
      "IntentSubmitted",
      "IntentClaimed",
      "IntentCompleted",
    ]);
    expect((await balance("USDC", ACCOUNTS.recipient)) - before).to.equal(parseEther("3010"));
    expect(await balance("WETH", ACCOUNTS.solver)).to.equal(parseEther("1"));
  });

  it("transfer, signed and relayed: a lapsed claim is failed (solver slashed, the user credited, intent requeued), then cancelled", async function () {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "intentkit-signed-")), "intent.json");
    await t.ok("intent sign", [
      "--type",
      "transfer",
      "--token",
      "WETH",
      "--amount",
      "0.5",
      "--recipient",
      ACCOUNTS.recipient,
      "--from",
      "2",
      "--approve",
      "--out",
      file,
    ]);
    const relayed = (await t.ok("intent relay", [file, "--from", "4", "--json"])).json();
    expect(relayed.user).to.equal(ACCOUNTS.user);
    expect(relayed.relayer).to.equal(ACCOUNTS.other);
    const id = relayed.id;
    expect((await status(id)).status).to.equal("Pending");

    await t.ok("intent claim", [id, "--from", "1"]);
    expect((await status(id)).status).to.equal("Executing");

    const stakeBefore = await balance("STK", ACCOUNTS.user);
    const creditBefore = await credit(ACCOUNTS.user);
    await t.ok("chain advance", ["--by", "11m"]);
    await t.ok("intent fail", [id, "--from", "4"]);
    const requeued = await status(id);
    expect(requeued.status).to.equal("Pending");
    // The lapsed claim stays on record: its solver and its passed deadline.
    expect(requeued.solver?.toLowerCase()).to.equal(ACCOUNTS.solver.toLowerCase());
    // The slash is credited to the user, locked for the unbonding period, not paid at once.
    expect((await credit(ACCOUNTS.user)) - creditBefore).to.equal(parseEther("100"));
    expect(await balance("STK", ACCOUNTS.user)).to.equal(stakeBefore);

    await t.ok("intent cancel", [id, "--from", "2"]);
    expect((await status(id)).status).to.equal("Cancelled");

    // The user's credit unlocks one unbonding period (7 days) after the slash.
    await expectRejected(
      t,
      ACCOUNTS.user,
      "solver credit",
      ["--from", "2"],
      /of slash credit for 0x[0-9a-fA-F]{40} unlocks at .* in \d+ s/,
    );
    await t.ok("chain advance", ["--by", "7d"]);
    await t.ok("solver credit", ["--from", "2"]);
    expect((await balance("STK", ACCOUNTS.user)) - stakeBefore).to.equal(parseEther("100"));
    expect(await credit(ACCOUNTS.user)).to.equal(0n);
  });

  it("an unclaimed intent reads Expired after its expiry, and intent expire records it", async function () {
    const id = await submit(["--token", "WETH", "--amount", "0.1", "--recipient", ACCOUNTS.recipient, "--ttl", "2m"]);
    expect((await status(id)).status).to.equal("Pending");
    await t.ok("chain advance", ["--by", "3m"]);
    expect((await status(id)).status).to.equal("Expired");
    await t.ok("intent expire", [id]);
    const expired = await status(id);
    expect(expired.status).to.equal("Expired");
    expect(expired.history.at(-1).event).to.equal("IntentExpired");
  });

  it("a claim that lapses at the intent's expiry ends Failed", async function () {
    const id = await submit(["--token", "WETH", "--amount", "0.1", "--recipient", ACCOUNTS.recipient, "--ttl", "5m"]);
    await t.ok("intent claim", [id, "--from", "1"]);
    await t.ok("chain advance", ["--by", "6m"]);
    await t.ok("intent fail", [id]);
    expect((await status(id)).status).to.equal("Failed");
  });

  it("intent watch follows an intent until it is terminal", async function () {
    const id = await submit(["--token", "WETH", "--amount", "0.1", "--recipient", ACCOUNTS.recipient]);
    const watching = t.run("intent watch", [id, "--interval", "200", "--timeout", "2m", "--json"]);
    await t.ok("intent claim", [id, "--from", "1"]);
    await t.ok("intent fulfill", [id, "--from", "1"]);
    const watched = await watching;
    expect(watched.code, watched.stderr).to.equal(0);
    const lines = watched.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.event ?? l.status)).to.deep.equal([
      "IntentSubmitted",
      "IntentClaimed",
      "IntentCompleted",
      "Completed",
    ]);
  });
});
