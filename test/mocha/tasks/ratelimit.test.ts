import { expect } from "chai";
import { ZeroAddress, id } from "ethers";

import { ACCOUNTS } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";
import { chainTime, expectRejected, submitTransfer, transferIntent } from "./helpers.js";

describe("tasks: ratelimit * on a local node", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let contracts: Record<string, string>;
  const submit = (nonce: number) =>
    submitTransfer(t, contracts.IntentVerifier, ACCOUNTS.user, contracts["mock WETH"], ACCOUNTS.other, nonce);

  before(async function () {
    t = await startTaskEnv();
    contracts = (await t.ok("system status", ["--json"])).json().contracts;
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);

  it("shows a fresh user's and the global bucket as full, with the configured limits", async function () {
    const shown = (await t.ok("ratelimit show", ["--user", ACCOUNTS.user, "--json"])).json();
    expect(shown.user).to.include({
      account: ACCOUNTS.user,
      exempt: false,
      limit: "50",
      window: "900",
      remaining: "50",
      retryAfter: "0",
      fullIn: "0",
    });
    expect(shown.global).to.include({ limit: "500", window: "60", remaining: "500", retryAfter: "0" });
    expect(shown).to.not.have.property("solver");
  });

  it("sets the user limit, and show follows the bucket as intents are submitted", async function () {
    const set = (await t.ok("ratelimit set", ["--scope", "user", "--limit", "2", "--window", "1h", "--json"])).json();
    expect(set).to.include({ scope: "user", limit: "2", window: "3600" });
    expect(set.previous).to.deep.equal({ limit: "50", window: "900" });

    await submit(0);
    let user = (await t.ok("ratelimit show", ["--user", ACCOUNTS.user, "--json"])).json().user;
    expect(user).to.include({ limit: "2", window: "3600", remaining: "1", retryAfter: "0" });
    // One intent used a window's worth of units (3600), drained at 2 units a second.
    expect(Number(user.fullIn)).to.be.within(1795, 1800);

    await submit(1);
    const shown = (await t.ok("ratelimit show", ["--user", ACCOUNTS.user, "--json"])).json();
    user = shown.user;
    expect(user.remaining).to.equal("0");
    expect(Number(user.retryAfter)).to.be.within(1795, 1800);
    expect(user.nextAdmissionAt).to.equal(
      new Date((Number(shown.chainTime) + Number(user.retryAfter)) * 1000).toISOString(),
    );
    expect(Number(shown.chainTime)).to.equal(await chainTime(t));
    const human = await t.ok("ratelimit show", ["--user", ACCOUNTS.user]);
    expect(human.stdout).to.match(/2 per 3600 s\s*│ 0\s*│ in 1[78]\d\d s \(20\d\d-/);
  });

  it("exempts an account from the submission limits and revokes the exemption", async function () {
    // An empty bucket: a limit of 2 per hour, both used.
    await t.ok("ratelimit set", ["--scope", "user", "--limit", "2", "--window", "1h"]);
    await submit(0);
    await submit(1);
    await t.ok("ratelimit exempt", ["--account", ACCOUNTS.user]);
    expect((await t.ok("ratelimit show", ["--user", ACCOUNTS.user, "--json"])).json().user.exempt).to.equal(true);
    await submit(2); // the bucket is empty, but the exempt user is admitted
    const revoked = (await t.ok("ratelimit exempt", ["--account", ACCOUNTS.user, "--revoke", "--json"])).json();
    expect(revoked).to.include({ account: ACCOUNTS.user, exempt: false, previous: true });
    expect((await t.ok("ratelimit show", ["--user", ACCOUNTS.user, "--json"])).json().user.exempt).to.equal(false);
    // Subject to the limit again, the user's next intent is refused with RateLimited.
    const data = await transferIntent(t, ACCOUNTS.user, contracts["mock WETH"], ACCOUNTS.other, 3);
    const refusal = await t
      .rpc("eth_call", [{ from: ACCOUNTS.user, to: contracts.IntentVerifier, data }, "latest"])
      .then(
        () => "admitted",
        (error: Error) => error.message,
      );
    expect(refusal).to.include(id("RateLimited(bytes32,uint256)").slice(2, 10));
  });

  it("sets the global limit (visible in system status too)", async function () {
    await t.ok("ratelimit set", ["--scope", "global", "--limit", "1000", "--window", "2m"]);
    const shown = (await t.ok("ratelimit show", ["--user", ACCOUNTS.other, "--json"])).json();
    expect(shown.global).to.include({ limit: "1000", window: "120" });
    const status = (await t.ok("system status", ["--json"])).json();
    expect(status.rateLimits.global).to.deep.equal({ limit: "1000", window: "120" });
  });

  it("sets the solver claim limit and the cap on claims in flight", async function () {
    await t.ok("ratelimit set", ["--scope", "solver", "--limit", "3", "--window", "30s"]);
    const max = (await t.ok("ratelimit set-max-claims", ["--max", "4", "--json"])).json();
    expect(max).to.include({ maxActiveClaims: "4", previous: "10" });
    const shown = (await t.ok("ratelimit show", ["--solver", ACCOUNTS.solver, "--json"])).json();
    expect(shown.solver).to.include({
      account: ACCOUNTS.solver,
      limit: "3",
      window: "30",
      remaining: "3",
      activeClaims: "0",
      maxActiveClaims: "4",
    });
    expect(shown).to.not.have.property("user");
    const status = (await t.ok("system status", ["--json"])).json();
    expect(status.rateLimits.solverClaims).to.deep.equal({ limit: "3", window: "30" });
    expect(status.rateLimits.maxActiveClaims).to.equal("4");
  });

  describe("bad input: one line, non-zero exit, nothing sent", function () {
    it("refuses an unknown scope and out-of-range limits and windows", async function () {
      const me = ACCOUNTS.deployer;
      await expectRejected(
        t,
        me,
        "ratelimit set",
        ["--scope", "planet", "--limit", "1", "--window", "1"],
        /--scope: "planet" is not one of user, global, solver/,
      );
      await expectRejected(
        t,
        me,
        "ratelimit set",
        ["--scope", "user", "--limit", "0", "--window", "1"],
        /--limit: 0 is out of range \[1, 16777215\]/,
      );
      await expectRejected(
        t,
        me,
        "ratelimit set",
        ["--scope", "user", "--limit", "16777216", "--window", "1"],
        /--limit: 16777216 is out of range/,
      );
      await expectRejected(
        t,
        me,
        "ratelimit set",
        ["--scope", "user", "--limit", "5", "--window", "soon"],
        /--window: "soon" is not a duration/,
      );
      await expectRejected(
        t,
        me,
        "ratelimit set",
        ["--scope", "user", "--limit", "5", "--window", "200d"],
        /--window: 17280000 s is out of range \[1, 16777215\] s/,
      );
      await expectRejected(
        t,
        me,
        "ratelimit set-max-claims",
        ["--max", "70000"],
        /--max: 70000 is out of range \[1, 65535\]/,
      );
      await expectRejected(t, me, "ratelimit set-max-claims", ["--max", "four"], /--max: "four" is not a whole number/);
    });

    it("refuses a missing or malformed address", async function () {
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "ratelimit show",
        [],
        /give --user <address>, --solver <address>, or both/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "ratelimit show",
        ["--user", "0x12"],
        /--user: "0x12" is not an address/,
      );
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "ratelimit exempt",
        ["--account", ZeroAddress],
        /--account: the zero address cannot be exempted/,
      );
    });

    it("refuses an account without the rate-limit admin role", async function () {
      const other = ACCOUNTS.other;
      const verifierRole = new RegExp(
        `missing role: ${other} does not hold RATE_LIMIT_ADMIN_ROLE on IntentVerifier 0x`,
      );
      const registryRole = new RegExp(
        `missing role: ${other} does not hold RATE_LIMIT_ADMIN_ROLE on SolverRegistry 0x`,
      );
      await expectRejected(
        t,
        other,
        "ratelimit set",
        ["--scope", "user", "--limit", "9", "--window", "9", "--from", "4"],
        verifierRole,
      );
      await expectRejected(
        t,
        other,
        "ratelimit set",
        ["--scope", "solver", "--limit", "9", "--window", "9", "--from", "4"],
        registryRole,
      );
      await expectRejected(t, other, "ratelimit set-max-claims", ["--max", "9", "--from", "4"], registryRole);
      await expectRejected(t, other, "ratelimit exempt", ["--account", other, "--from", "4"], verifierRole);
      const status = (await t.ok("system status", ["--json"])).json();
      expect(status.rateLimits.user).to.deep.equal({ limit: "50", window: "900" });
    });
  });
});
