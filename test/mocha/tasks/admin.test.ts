import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { ACCOUNTS } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";
import { E18, call, deploy, expectRejected } from "./helpers.js";

const IS_BLOCKED = "function isBlocked(address) view returns (bool)";
const OTHER = ACCOUNTS.other; // account 4: holds no role
const ADMIN = ACCOUNTS.deployer; // account 0: every role

describe("tasks: admin * on a local node", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let contracts: Record<string, string>;
  let transferValidator: string;
  const status = async () => (await t.ok("system status", ["--json"])).json();

  before(async function () {
    t = await startTaskEnv();
    contracts = (await status()).contracts;
    transferValidator = await deploy(t, ADMIN, "test/MockIntentValidator.sol", "MockIntentValidator", [1]);
    await t.ok("token mint", ["--token", "STK", "--to", ACCOUNTS.solver, "--amount", "1000"]);
    await t.ok("token mint", ["--token", "STK", "--to", ACCOUNTS.user, "--amount", "1000"]);
    await t.ok("solver register", ["--bond", "1000", "--approve", "--from", "1"]);
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);

  describe("pause", function () {
    it("pauses one contract, then skips it when pausing both", async function () {
      const one = (await t.ok("admin pause", ["--target", "registry", "--json"])).json();
      expect(one).to.deep.equal([
        {
          contract: "SolverRegistry",
          address: contracts.SolverRegistry,
          paused: true,
          changed: true,
          transaction: one[0].transaction,
        },
      ]);
      expect((await status()).paused).to.deep.equal({ verifier: false, registry: true });

      const both = await t.ok("admin pause");
      expect(both.stdout).to.match(/IntentVerifier 0x[0-9a-fA-F]{40}\s*│ paused\s*│ 0x/);
      expect(both.stdout).to.match(/SolverRegistry 0x[0-9a-fA-F]{40}\s*│ already paused; skipped/);
      expect((await status()).paused).to.deep.equal({ verifier: true, registry: true });
    });

    it("refuses a registration while paused, before approving anything", async function () {
      await t.ok("admin pause");
      await expectRejected(
        t,
        ACCOUNTS.user,
        "solver register",
        ["--bond", "1000", "--approve", "--from", "2"],
        /the system is paused \(SolverRegistry 0x[0-9a-fA-F]{40}\); a guardian can resume it with `npx hardhat admin unpause`/,
      );
    });

    it("leaves a solver's exit open while paused: exit, then withdraw after the unbonding period", async function () {
      await t.ok("admin pause");
      const exit = (await t.ok("solver exit", ["--from", "1", "--json"])).json();
      expect(exit.status).to.equal("Exiting");
      await t.ok("chain advance", ["--by", `${exit.withdrawableInSeconds}s`]);
      const withdrawn = (await t.ok("solver withdraw", ["--from", "1", "--json"])).json();
      expect(withdrawn.status).to.equal("Exited");
      expect((await status()).paused).to.deep.equal({ verifier: true, registry: true });
    });

    it("refuses to unpause without the guardian role, then unpauses both", async function () {
      await t.ok("admin pause");
      await expectRejected(
        t,
        OTHER,
        "admin unpause",
        ["--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold GUARDIAN_ROLE on IntentVerifier ${contracts.IntentVerifier}`),
      );
      expect((await status()).paused).to.deep.equal({ verifier: true, registry: true });
      const result = (await t.ok("admin unpause", ["--target", "all", "--json"])).json();
      expect(result.map((r: any) => [r.contract, r.paused, r.changed])).to.deep.equal([
        ["IntentVerifier", false, true],
        ["SolverRegistry", false, true],
      ]);
      expect((await status()).paused).to.deep.equal({ verifier: false, registry: false });
    });
  });

  describe("roles", function () {
    it("grants a role that takes effect, and revokes it", async function () {
      const granted = (
        await t.ok("admin grant-role", ["--contract", "registry", "--role", "guardian", "--account", OTHER, "--json"])
      ).json();
      expect(granted).to.include({ contract: "SolverRegistry", role: "GUARDIAN_ROLE", account: OTHER, holds: true });
      expect((await status()).roles.registry.GUARDIAN_ROLE).to.have.members([ADMIN, OTHER]);
      // The new guardian can pause the registry, and only the registry.
      await t.ok("admin pause", ["--target", "registry", "--from", "4"]);
      await t.ok("admin unpause", ["--target", "registry", "--from", "4"]);

      const again = await t.ok("admin grant-role", [
        "--contract",
        "registry",
        "--role",
        "guardian",
        "--account",
        OTHER,
      ]);
      expect(again.stdout).to.match(/already holds GUARDIAN_ROLE on SolverRegistry .*; nothing sent/);

      await t.ok("admin revoke-role", ["--contract", "registry", "--role", "guardian", "--account", OTHER]);
      expect((await status()).roles.registry.GUARDIAN_ROLE).to.deep.equal([ADMIN]);
      await expectRejected(
        t,
        OTHER,
        "admin pause",
        ["--target", "registry", "--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold GUARDIAN_ROLE on SolverRegistry ${contracts.SolverRegistry}`),
      );
    });

    it("grants and revokes a verifier-only role", async function () {
      await t.ok("admin grant-role", ["--contract", "verifier", "--role", "policy-admin", "--account", OTHER]);
      expect((await status()).roles.verifier.POLICY_ADMIN_ROLE).to.have.members([ADMIN, OTHER]);
      await t.ok("admin revoke-role", ["--contract", "verifier", "--role", "policy-admin", "--account", OTHER]);
      expect((await status()).roles.verifier.POLICY_ADMIN_ROLE).to.deep.equal([ADMIN]);
    });

    it("refuses roles the contract does not have, unknown choices, and non-admins", async function () {
      const base = ["--account", OTHER];
      await expectRejected(
        t,
        ADMIN,
        "admin grant-role",
        ["--contract", "registry", "--role", "validator-admin", ...base],
        /--role: SolverRegistry has no validator-admin role \(VALIDATOR_ADMIN_ROLE\); its roles are guardian, rate-limit-admin/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin grant-role",
        ["--contract", "vault", "--role", "guardian", ...base],
        /--contract: "vault" is not one of verifier, registry/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin revoke-role",
        ["--contract", "verifier", "--role", "owner", ...base],
        /--role: "owner" is not one of guardian, validator-admin, policy-admin, rate-limit-admin/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin grant-role",
        ["--contract", "verifier", "--role", "guardian", "--account", "0xZZ"],
        /--account: "0xZZ" is not an address/,
      );
      await expectRejected(
        t,
        OTHER,
        "admin grant-role",
        ["--contract", "verifier", "--role", "guardian", "--account", OTHER, "--from", "4"],
        new RegExp(
          `missing role: ${OTHER} does not hold DEFAULT_ADMIN_ROLE on IntentVerifier ${contracts.IntentVerifier}`,
        ),
      );
    });
  });

  describe("policies and parameters", function () {
    it("sets a token policy and disallows a token (system status tokenPolicies)", async function () {
      const set = (
        await t.ok("admin set-token-policy", [
          "--type",
          "transfer",
          "--token",
          "WETH",
          "--min",
          "1",
          "--max",
          "5",
          "--json",
        ])
      ).json();
      expect(set.previous).to.deep.equal({ allowed: true, minAmount: "1", maxAmount: (1_000_000n * E18).toString() });
      await t.ok("admin set-token-policy", ["--type", "swap", "--token", contracts["mock USDC"], "--disallow"]);
      const policies = (await status()).bounds.tokenPolicies;
      expect(policies).to.deep.include({
        intentType: "transfer",
        token: contracts["mock WETH"],
        allowed: true,
        minAmount: E18.toString(),
        maxAmount: (5n * E18).toString(),
      });
      expect(policies).to.deep.include({
        intentType: "swap",
        token: contracts["mock USDC"],
        allowed: false,
        minAmount: "0",
        maxAmount: "0",
      });
    });

    it("refuses a bad token policy", async function () {
      const args = (type: string, token: string, min: string, max: string) => [
        "--type",
        type,
        "--token",
        token,
        "--min",
        min,
        "--max",
        max,
      ];
      await expectRejected(
        t,
        ADMIN,
        "admin set-token-policy",
        args("transfer", "DOGE", "1", "2"),
        /--token: "DOGE" is neither an address nor a token of this deployment/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-token-policy",
        args("transfer", "WETH", "6", "5"),
        /--min 6\.0 WETH is above --max 5\.0 WETH/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-token-policy",
        args("bridge", "WETH", "1", "2"),
        /--type: "bridge" is not one of transfer, swap/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-token-policy",
        args("swap", "WETH", "1", "many"),
        /--max: "many" is not an amount/,
      );
      await expectRejected(
        t,
        OTHER,
        "admin set-token-policy",
        [...args("swap", "WETH", "1", "2"), "--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold POLICY_ADMIN_ROLE on IntentVerifier`),
      );
    });

    it("sets timings, and schedules bond parameters and slashing while bonds are at stake (system status bounds)", async function () {
      await t.ok("admin set-timings", ["--max-ttl", "2d", "--claim-ttl", "5m"]);
      const bond = (await t.ok("admin set-bond", ["--min-bond", "500", "--unbonding", "30m", "--json"])).json();
      expect(bond.scheduled).to.include({ minBond: (500n * E18).toString(), unbondingPeriod: "1800" });
      expect(bond.minBond).to.equal((1_000n * E18).toString());
      const slashing = (
        await t.ok("admin set-slashing", ["--amount", "50", "--user-share", "2500", "--treasury", OTHER, "--json"])
      ).json();
      expect(slashing.previous).to.deep.equal({
        slashAmount: (100n * E18).toString(),
        userShareBps: "10000",
        treasury: ADMIN,
      });
      expect(slashing.scheduled).to.include({ slashAmount: (50n * E18).toString(), treasury: OTHER });
      expect((await status()).bounds).to.include({
        minBond: (1_000n * E18).toString(),
        slashAmount: (100n * E18).toString(),
      });
      // The delay: the unbonding period in force (7 days) plus the longest claim window (65,535 s).
      await t.ok("chain advance", ["--by", "8d"]);
      expect((await status()).bounds).to.include({
        maxTtl: "172800",
        claimTtl: "300",
        minBond: (500n * E18).toString(),
        unbondingPeriod: "1800",
        slashAmount: (50n * E18).toString(),
        slashUserShareBps: "2500",
        treasury: OTHER,
      });
    });

    it("refuses bad timings, bonds and slashing", async function () {
      await expectRejected(
        t,
        ADMIN,
        "admin set-timings",
        ["--max-ttl", "1h", "--claim-ttl", "2h"],
        /--claim-ttl: 7200 s is out of range \[1, 3600\] s/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-timings",
        ["--max-ttl", "forever", "--claim-ttl", "1m"],
        /--max-ttl: "forever" is not a duration/,
      );
      await expectRejected(
        t,
        OTHER,
        "admin set-timings",
        ["--max-ttl", "1d", "--claim-ttl", "1m", "--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold DEFAULT_ADMIN_ROLE on IntentVerifier`),
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-bond",
        ["--min-bond", "0", "--unbonding", "1h"],
        /--min-bond must be more than 0/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-bond",
        ["--min-bond", "lots", "--unbonding", "1h"],
        /--min-bond: "lots" is not an amount/,
      );
      await expectRejected(
        t,
        OTHER,
        "admin set-bond",
        ["--min-bond", "1", "--unbonding", "1h", "--from", "4"],
        new RegExp(
          `missing role: ${OTHER} does not hold DEFAULT_ADMIN_ROLE on SolverRegistry ${contracts.SolverRegistry}`,
        ),
      );
      const slash = (share: string, treasury: string) => [
        "--amount",
        "1",
        "--user-share",
        share,
        "--treasury",
        treasury,
      ];
      await expectRejected(
        t,
        ADMIN,
        "admin set-slashing",
        slash("10001", OTHER),
        /--user-share: 10001 is out of range \[0, 10000\]/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-slashing",
        slash("100", "0xnope"),
        /--treasury: "0xnope" is not an address/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-slashing",
        slash("100", ZeroAddress),
        /--treasury: the zero address cannot be the treasury/,
      );
    });

    it("plugs a validator, refuses one of the wrong type, and removes it", async function () {
      const set = (
        await t.ok("admin set-validator", ["--type", "transfer", "--validator", transferValidator, "--json"])
      ).json();
      expect(set).to.include({ type: "transfer", validator: transferValidator, previous: ZeroAddress });
      expect((await status()).bounds.validators).to.deep.equal({ transfer: transferValidator, swap: ZeroAddress });
      await expectRejected(
        t,
        ADMIN,
        "admin set-validator",
        ["--type", "swap", "--validator", transferValidator],
        /--validator: 0x[0-9a-fA-F]{40} validates intent type 1 \(transfer\), not 2 \(swap\)/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin set-validator",
        ["--type", "swap", "--validator", OTHER],
        /--validator: no contract at /,
      );
      await expectRejected(
        t,
        OTHER,
        "admin set-validator",
        ["--type", "transfer", "--validator", "none", "--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold VALIDATOR_ADMIN_ROLE on IntentVerifier`),
      );
      await t.ok("admin set-validator", ["--type", "transfer", "--validator", "none"]);
      expect((await status()).bounds.validators.transfer).to.equal(ZeroAddress);
    });
  });

  describe("users and solvers", function () {
    it("blocks and unblocks a user", async function () {
      const blocked = (await t.ok("admin block-user", ["--user", ACCOUNTS.user, "--json"])).json();
      expect(blocked).to.include({ user: ACCOUNTS.user, blocked: true, previous: false });
      expect(await call(t, contracts.IntentVerifier, IS_BLOCKED, [ACCOUNTS.user])).to.equal(true);
      await expectRejected(
        t,
        OTHER,
        "admin block-user",
        ["--user", ACCOUNTS.user, "--unblock", "--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold GUARDIAN_ROLE on IntentVerifier`),
      );
      await t.ok("admin block-user", ["--user", ACCOUNTS.user, "--unblock"]);
      expect(await call(t, contracts.IntentVerifier, IS_BLOCKED, [ACCOUNTS.user])).to.equal(false);
    });

    it("suspends and reinstates a solver", async function () {
      const suspended = (await t.ok("admin suspend-solver", ["--solver", ACCOUNTS.solver, "--json"])).json();
      expect(suspended).to.include({ solver: ACCOUNTS.solver, status: "Suspended", previous: "Active" });
      expect((await t.ok("solver info", ["--solver", ACCOUNTS.solver, "--json"])).json().status).to.equal("Suspended");
      await expectRejected(
        t,
        ADMIN,
        "admin suspend-solver",
        ["--solver", ACCOUNTS.solver],
        /solver 0x[0-9a-fA-F]{40} is Suspended; only active solvers can be suspended/,
      );
      await t.ok("admin reinstate-solver", ["--solver", ACCOUNTS.solver]);
      expect((await t.ok("solver info", ["--solver", ACCOUNTS.solver, "--json"])).json().status).to.equal("Active");
    });

    it("refuses to reinstate an active solver, a malformed address and a non-guardian", async function () {
      await expectRejected(
        t,
        ADMIN,
        "admin reinstate-solver",
        ["--solver", ACCOUNTS.solver],
        /is Active; only suspended solvers can be reinstated/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin suspend-solver",
        ["--solver", "solver1"],
        /--solver: "solver1" is not an address/,
      );
      await expectRejected(
        t,
        ADMIN,
        "admin suspend-solver",
        ["--solver", OTHER],
        /solver 0x[0-9a-fA-F]{40} is not registered/,
      );
      await expectRejected(
        t,
        OTHER,
        "admin suspend-solver",
        ["--solver", ACCOUNTS.solver, "--from", "4"],
        new RegExp(`missing role: ${OTHER} does not hold GUARDIAN_ROLE on SolverRegistry ${contracts.SolverRegistry}`),
      );
      await expectRejected(
        t,
        ADMIN,
        "admin pause",
        ["--target", "everything"],
        /--target: "everything" is not one of verifier, registry, all/,
      );
    });
  });
});
