import { expect } from "chai";

import { ACCOUNTS } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";
import { E18, call, chainTime, expectRejected } from "./helpers.js";

const ALLOWANCE = "function allowance(address, address) view returns (uint256)";
const SOLVER = ACCOUNTS.solver; // account 1

describe("tasks: solver * on a local node", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let contracts: Record<string, string>;

  before(async function () {
    t = await startTaskEnv();
    contracts = (await t.ok("system status", ["--json"])).json().contracts;
    await t.ok("token mint", ["--token", "STK", "--to", SOLVER, "--amount", "5000"]);
    await t.ok("token mint", ["--token", "STK", "--to", ACCOUNTS.user, "--amount", "2000"]);
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);
  const register = () => t.ok("solver register", ["--bond", "1000", "--approve", "--from", "1"]);

  it("refuses a bond below the minimum before approving anything", async function () {
    await expectRejected(
      t,
      SOLVER,
      "solver register",
      ["--bond", "999.5", "--approve", "--from", "1"],
      /insufficient bond: 999\.5 STK is below the minimum bond of 1000\.0 STK/,
    );
  });

  it("refuses to register without an allowance and says how to give one", async function () {
    const line = await expectRejected(
      t,
      ACCOUNTS.user,
      "solver register",
      ["--bond", "1000", "--from", "2"],
      /insufficient allowance: the registry 0x[0-9a-fA-F]{40} may spend 0\.0 STK .* needs 1000\.0 STK/,
    );
    expect(line).to.include("pass --approve");
    expect(line).to.include("npx hardhat token approve --token STK --spender registry --amount 1000");
  });

  it("refuses to register with too small a balance, even with --approve", async function () {
    await expectRejected(
      t,
      ACCOUNTS.other,
      "solver register",
      ["--bond", "1000", "--approve", "--from", "4"],
      new RegExp(`insufficient balance: ${ACCOUNTS.other} holds 0\\.0 STK, needs 1000\\.0 STK`),
    );
  });

  it("registers with --approve, approving exactly the bond", async function () {
    const nonce = await t.nonce(SOLVER);
    const result = (await t.ok("solver register", ["--bond", "1000", "--approve", "--from", "1", "--json"])).json();
    expect(result).to.include({ solver: SOLVER, status: "Active", bond: (1000n * E18).toString() });
    expect(result.transactions.approve).to.match(/^0x[0-9a-f]{64}$/);
    expect(await t.nonce(SOLVER)).to.equal(nonce + 2);
    // Exactly the bond was approved, and the registry pulled all of it.
    expect(await call(t, contracts.stakeToken, ALLOWANCE, [SOLVER, contracts.SolverRegistry])).to.equal(0n);
  });

  it("shows the solver's record, rates and claim limit (solver info)", async function () {
    await register();
    const info = (await t.ok("solver info", ["--solver", SOLVER, "--json"])).json();
    expect(info).to.include({
      status: "Active",
      bond: (1000n * E18).toString(),
      assigned: "0",
      successRatePercent: 0,
      performanceScoreBps: "5000",
      performanceScorePercent: 50,
      authorized: true,
    });
    expect(info.claimRateLimit).to.include({
      limit: "30",
      window: "60",
      remaining: "30",
      retryAfter: "0",
      maxActiveClaims: "10",
    });
    // --from picks the solver when --solver is omitted; the table shows percentages.
    const human = await t.ok("solver info", ["--from", "1"]);
    expect(human.stdout).to.include(SOLVER);
    expect(human.stdout).to.match(/performance score\s*│ 50\.00%/);
    expect(human.stdout).to.match(/bond\s*│ 1000\.0 STK/);
  });

  it("refuses a second registration while active", async function () {
    await register();
    await expectRejected(
      t,
      SOLVER,
      "solver register",
      ["--bond", "1000", "--approve", "--from", "1"],
      /is already a solver \(Active\); add to its bond with `npx hardhat solver topup`/,
    );
  });

  it("lists the solver (solver list)", async function () {
    await register();
    const list = (await t.ok("solver list", ["--json"])).json();
    expect(list).to.have.length(1);
    expect(list[0]).to.include({ solver: SOLVER, status: "Active", bond: (1000n * E18).toString(), activeClaims: "0" });
    const human = await t.ok("solver list");
    expect(human.stdout).to.match(new RegExp(`${SOLVER}\\s*│ Active\\s*│ 1000\\.0 STK`));
  });

  it("tops up with an allowance given by token approve", async function () {
    await register();
    await expectRejected(
      t,
      SOLVER,
      "solver topup",
      ["--amount", "500", "--from", "1"],
      /insufficient allowance: .*pass --approve/,
    );
    await t.ok("token approve", ["--token", "STK", "--spender", "registry", "--amount", "500", "--from", "1"]);
    const result = (await t.ok("solver topup", ["--amount", "500", "--from", "1", "--json"])).json();
    expect(result.previousBond).to.equal((1000n * E18).toString());
    expect(result.bond).to.equal((1500n * E18).toString());
    expect(result.transactions.approve).to.equal(null);
    const info = (await t.ok("solver info", ["--solver", SOLVER, "--json"])).json();
    expect(info.bond).to.equal((1500n * E18).toString());
  });

  it("refuses a top-up from an account that is not a solver", async function () {
    await expectRejected(
      t,
      ACCOUNTS.user,
      "solver topup",
      ["--amount", "5", "--approve", "--from", "2"],
      /is not a solver; only active or suspended solvers can top up/,
    );
  });

  it("exits, refuses to withdraw while unbonding, and withdraws the whole bond afterwards", async function () {
    await register();
    const exit = (await t.ok("solver exit", ["--from", "1", "--json"])).json();
    expect(exit.status).to.equal("Exiting");
    expect(exit.withdrawableInSeconds).to.equal("3600");
    expect(Number(exit.unbondingEnds)).to.equal((await chainTime(t)) + 3600);
    expect(exit.withdrawableAt).to.equal(new Date(Number(exit.unbondingEnds) * 1000).toISOString());

    await expectRejected(
      t,
      SOLVER,
      "solver withdraw",
      ["--from", "1"],
      new RegExp(
        `still unbonding: ${SOLVER} can withdraw from ${exit.withdrawableAt.replace(/\./g, "\\.")} \\(unix ${exit.unbondingEnds}\\), in \\d+ s`,
      ),
    );
    await expectRejected(t, SOLVER, "solver exit", ["--from", "1"], /is already exiting; it can withdraw from /);

    await t.ok("chain advance", ["--by", "2h"]);
    const withdrawn = (await t.ok("solver withdraw", ["--from", "1", "--json"])).json();
    expect(withdrawn.withdrawn).to.equal((1000n * E18).toString());
    expect(withdrawn.status).to.equal("Exited");
    const balance = (await t.ok("token balance", ["--account", SOLVER, "--token", "STK", "--json"])).json();
    expect(balance.balances).to.deep.equal([
      {
        token: contracts.stakeToken,
        symbol: "STK",
        decimals: 18,
        balance: (5000n * E18).toString(),
        formatted: "5000.0 STK",
      },
    ]);
    const list = (await t.ok("solver list", ["--json"])).json();
    expect(list.map((s: any) => [s.solver, s.status, s.bond])).to.deep.equal([[SOLVER, "Exited", "0"]]);
  });

  describe("bad input: one line, non-zero exit, nothing sent", function () {
    it("refuses to withdraw without an exit", async function () {
      await register();
      await t.ok("solver exit", ["--from", "1"]);
      await t.ok("chain advance", ["--by", "2h"]);
      await t.ok("solver withdraw", ["--from", "1"]);
      await expectRejected(
        t,
        SOLVER,
        "solver withdraw",
        ["--from", "1"],
        /is a solver in status Exited; announce an exit with `npx hardhat solver exit` first/,
      );
      await expectRejected(
        t,
        ACCOUNTS.user,
        "solver exit",
        ["--from", "2"],
        /is not a solver; only active or suspended solvers can exit/,
      );
    });

    it("refuses a malformed address", async function () {
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "solver info",
        ["--solver", "0x1234"],
        /--solver: "0x1234" is not an address/,
      );
      await expectRejected(
        t,
        SOLVER,
        "solver register",
        ["--bond", "1000", "--from", "0xabc"],
        /--from: "0xabc" is neither an address nor an account index/,
      );
      await expectRejected(
        t,
        SOLVER,
        "solver register",
        ["--bond", "1000", "--from", "12"],
        /--from 12: network "localhost" has 10 account\(s\)/,
      );
    });

    it("refuses a bad amount", async function () {
      await expectRejected(
        t,
        SOLVER,
        "solver register",
        ["--bond", "ten", "--from", "1"],
        /--bond: "ten" is not an amount/,
      );
      await expectRejected(t, SOLVER, "solver register", ["--from", "1"], /--bond is required/);
      await expectRejected(
        t,
        SOLVER,
        "solver topup",
        ["--amount", "-5", "--from", "1"],
        /--amount: "-5" is not an amount/,
      );
    });
  });
});
