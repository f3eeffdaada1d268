import { expect } from "chai";
import { MaxUint256 } from "ethers";

import { ACCOUNTS } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";
import { E18, call, deploy, expectRejected } from "./helpers.js";

const BALANCE_OF = "function balanceOf(address) view returns (uint256)";
const ALLOWANCE = "function allowance(address, address) view returns (uint256)";

describe("tasks: token mint, token approve and token balance on a local node", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let contracts: Record<string, string>;
  /** A real ERC-20 with a public mint that is not one of the deployment's mocks. */
  let foreign: string;

  before(async function () {
    t = await startTaskEnv();
    contracts = (await t.ok("system status", ["--json"])).json().contracts;
    foreign = await deploy(t, ACCOUNTS.deployer, "test/MockERC20.sol", "MockERC20", ["Foreign", "FRN"]);
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);

  it("mints a mock token by symbol and reports the new balance", async function () {
    const nonce = await t.nonce(ACCOUNTS.deployer);
    const minted = (
      await t.ok("token mint", ["--token", "weth", "--to", ACCOUNTS.user, "--amount", "2.5", "--json"])
    ).json();
    expect(minted.symbol).to.equal("WETH");
    expect(minted.token).to.equal(contracts["mock WETH"]);
    expect(minted.amount).to.equal((25n * E18) / 10n + "");
    expect(minted.balance).to.equal(minted.amount);
    expect(await t.nonce(ACCOUNTS.deployer)).to.equal(nonce + 1);
    expect(await call(t, contracts["mock WETH"], BALANCE_OF, [ACCOUNTS.user])).to.equal((25n * E18) / 10n);
  });

  it("mints by address, as another account, in base units", async function () {
    await t.ok("token mint", [
      "--token",
      contracts["mock USDC"],
      "--to",
      ACCOUNTS.user,
      "--amount",
      "1500wei",
      "--from",
      "4",
    ]);
    expect(await call(t, contracts["mock USDC"], BALANCE_OF, [ACCOUNTS.user])).to.equal(1500n);
  });

  it("shows every deployment token's balance when --token is omitted", async function () {
    await t.ok("token mint", ["--token", "WETH", "--to", ACCOUNTS.user, "--amount", "2.5"]);
    await t.ok("token mint", ["--token", "USDC", "--to", ACCOUNTS.user, "--amount", "1500wei"]);
    const result = (await t.ok("token balance", ["--account", ACCOUNTS.user, "--json"])).json();
    expect(result.account).to.equal(ACCOUNTS.user);
    const bySymbol = Object.fromEntries(result.balances.map((b: any) => [b.symbol, b.balance]));
    expect(bySymbol).to.deep.equal({ STK: "0", WETH: ((25n * E18) / 10n).toString(), USDC: "1500" });
    const human = await t.ok("token balance", ["--account", ACCOUNTS.user, "--token", "WETH"]);
    expect(human.stdout).to.match(/WETH\s.*2\.5 WETH/);
    expect(human.stdout).to.not.match(/USDC/);
  });

  it("approves the registry, the verifier and any address for exactly the amount (or max)", async function () {
    const registry = contracts.SolverRegistry;
    const verifier = contracts.IntentVerifier;
    const approved = (
      await t.ok("token approve", [
        "--token",
        "STK",
        "--spender",
        "registry",
        "--amount",
        "1000",
        "--from",
        "1",
        "--json",
      ])
    ).json();
    expect(approved).to.include({ owner: ACCOUNTS.solver, spender: registry, allowance: (1000n * E18).toString() });
    expect(await call(t, contracts.stakeToken, ALLOWANCE, [ACCOUNTS.solver, registry])).to.equal(1000n * E18);

    await t.ok("token approve", ["--token", "WETH", "--spender", "verifier", "--amount", "max", "--from", "2"]);
    expect(await call(t, contracts["mock WETH"], ALLOWANCE, [ACCOUNTS.user, verifier])).to.equal(MaxUint256);

    const human = await t.ok("token approve", [
      "--token",
      "WETH",
      "--spender",
      ACCOUNTS.other,
      "--amount",
      "0.5",
      "--from",
      "2",
    ]);
    expect(human.stdout).to.match(/to spend 0\.5 WETH/);
    expect(await call(t, contracts["mock WETH"], ALLOWANCE, [ACCOUNTS.user, ACCOUNTS.other])).to.equal(E18 / 2n);
  });

  describe("bad input: one line, non-zero exit, nothing sent", function () {
    it("refuses to mint a token that is not one of the deployment's mocks", async function () {
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token mint",
        ["--token", foreign, "--to", ACCOUNTS.user, "--amount", "1"],
        /--token: FRN at 0x[0-9a-fA-F]{40} is not a mock token of this deployment; only its mocks can be minted \(STK, /,
      );
      expect(await call(t, foreign, BALANCE_OF, [ACCOUNTS.user])).to.equal(0n);
    });

    it("names an unknown token symbol", async function () {
      const args = ["--token", "DOGE", "--to", ACCOUNTS.user, "--amount", "1"];
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token mint",
        args,
        /--token: "DOGE" is neither an address nor a token of this deployment \(STK, WETH, USDC/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token balance",
        ["--account", ACCOUNTS.user, "--token", "DOGE"],
        /"DOGE" is neither/,
      );
    });

    it("refuses a malformed address", async function () {
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token mint",
        ["--token", "WETH", "--to", "0x1234", "--amount", "1"],
        /--to: "0x1234" is not an address/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token balance",
        ["--account", "alice"],
        /--account: "alice" is not an address/,
      );
      await expectRejected(t, ACCOUNTS.deployer, "token balance", [], /--account is required/);
    });

    it("refuses a bad amount", async function () {
      const base = ["--token", "WETH", "--to", ACCOUNTS.user];
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token mint",
        [...base, "--amount", "1.2.3"],
        /--amount: "1\.2\.3" is not an amount/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token mint",
        [...base, "--amount", "0.0000000000000000001"],
        /--amount: "0\.0000000000000000001" has more than 18 decimals/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token mint",
        [...base, "--amount", "0"],
        /--amount must be more than 0/,
      );
      await expectRejected(
        t,
        ACCOUNTS.user,
        "token approve",
        ["--token", "WETH", "--spender", "verifier", "--amount", "lots", "--from", "2"],
        /--amount: "lots" is not an amount \(e\.g\. 1\.5, or 1500wei, or max\)/,
      );
    });

    it("refuses an unknown spender and a bad --from", async function () {
      await expectRejected(
        t,
        ACCOUNTS.user,
        "token approve",
        ["--token", "WETH", "--spender", "vault", "--amount", "1", "--from", "2"],
        /--spender: "vault" is neither verifier, registry nor an address/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "token approve",
        ["--token", "WETH", "--spender", "verifier", "--amount", "1", "--from", "bob"],
        /--from: "bob" is neither an address nor an account index/,
      );
    });
  });
});
