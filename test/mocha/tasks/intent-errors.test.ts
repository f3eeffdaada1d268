// Bad input to the intent tasks: each fails with one `error:` line that names the problem, a
// non-zero exit code, and no transaction from the acting account.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { ACCOUNTS } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";
import { expectRejected } from "./helpers.js";

describe("tasks: bad input to intent *", function () {
  this.timeout(300_000);
  let t: TaskEnv;
  let pending: string;
  let executing: string;
  const transfer = ["--token", "WETH", "--amount", "1", "--recipient", ACCOUNTS.recipient];

  before(async function () {
    t = await startTaskEnv();
    await t.ok("token mint", ["--token", "STK", "--to", ACCOUNTS.solver, "--amount", "1000"]);
    await t.ok("token mint", ["--token", "WETH", "--to", ACCOUNTS.user, "--amount", "5"]);
    await t.ok("solver register", ["--bond", "1000", "--approve", "--from", "1"]);
    pending = (await t.ok("intent submit", [...transfer, "--from", "2", "--approve", "--json"])).json().id;
    executing = (await t.ok("intent submit", [...transfer, "--from", "2", "--approve", "--json"])).json().id;
    await t.ok("intent claim", [executing, "--from", "1"]);
  });
  after(async function () {
    await t?.stop();
  });
  revertEach(() => t);

  describe("intent submit", function () {
    const user = ACCOUNTS.user;
    it("malformed recipient address", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        ["--token", "WETH", "--amount", "1", "--recipient", "0x1234", "--from", "2"],
        /--recipient: "0x1234" is not an address/,
      );
    });
    it("malformed amount", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        ["--token", "WETH", "--amount", "lots", "--recipient", ACCOUNTS.recipient, "--from", "2"],
        /--amount: "lots" is not an amount/,
      );
    });
    it("unknown intent type", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        [...transfer, "--type", "barter", "--from", "2"],
        /--type: "barter" is not one of transfer, swap/,
      );
    });
    it("a swap without its output token", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        [...transfer, "--type", "swap", "--from", "2"],
        /a swap needs --token-out and --min-out/,
      );
    });
    it("unknown token symbol", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        ["--token", "DOGE", "--amount", "1", "--recipient", ACCOUNTS.recipient, "--from", "2"],
        /"DOGE" is neither an address nor a token of this deployment/,
      );
    });
    it("insufficient allowance (without --approve)", async function () {
      // `before` left an allowance of 1 WETH (its second intent found the first one's approval
      // sufficient: the check is per intent); this intent needs 3.
      await expectRejected(
        t,
        user,
        "intent submit",
        ["--token", "WETH", "--amount", "3", "--recipient", ACCOUNTS.recipient, "--from", "2"],
        /insufficient allowance: the verifier may spend 1\.0 WETH of .*, the intent needs 3\.0 WETH at fulfilment; pass --approve/,
      );
    });
    it("insufficient balance", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        ["--token", "WETH", "--amount", "500", "--recipient", ACCOUNTS.recipient, "--from", "2", "--approve"],
        /insufficient balance: .* holds 5\.0 WETH, the intent needs 500\.0 WETH/,
      );
    });
    it("an expiry beyond the maximum lifetime (decoded revert, nothing sent, not even the approval)", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        [...transfer, "--ttl", "2d", "--from", "2", "--approve"],
        /reverted: the expiry .* is later than the maximum/,
      );
    });
    it("the user as recipient", async function () {
      await expectRejected(
        t,
        user,
        "intent submit",
        ["--token", "WETH", "--amount", "1", "--recipient", ACCOUNTS.user, "--from", "2", "--approve"],
        /--recipient is the user/,
      );
    });
    it("rate-limited, saying when to retry", async function () {
      await t.ok("ratelimit set", ["--scope", "user", "--limit", "1", "--window", "1h"]);
      try {
        await expectRejected(
          t,
          user,
          "intent submit",
          [...transfer, "--from", "2", "--approve"],
          /rate-limited: the rate limit of 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is reached; retry in \d+ s/,
        );
      } finally {
        await t.ok("ratelimit set", ["--scope", "user", "--limit", "50", "--window", "15m"]);
      }
    });
    it("paused system", async function () {
      await t.ok("admin pause", ["--target", "verifier"]);
      try {
        await expectRejected(
          t,
          user,
          "intent submit",
          [...transfer, "--from", "2", "--approve"],
          /the system is paused/,
        );
      } finally {
        await t.ok("admin unpause", ["--target", "verifier"]);
      }
    });
  });

  describe("intent status, claim, fulfill, cancel, fail", function () {
    it("malformed intent id", async function () {
      await expectRejected(t, ACCOUNTS.deployer, "intent status", ["0xabc"], /<id>: "0xabc" is not a 32-byte hex id/);
    });
    it("unknown intent id", async function () {
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "intent status",
        [`0x${"ab".repeat(32)}`],
        /unknown intent id 0x(ab){32}: it was never submitted/,
      );
    });
    it("a claim by an account that is not a solver", async function () {
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent claim",
        [pending, "--from", "4"],
        /is not an active solver; register with/,
      );
    });
    it("a claim of an intent already claimed", async function () {
      await expectRejected(
        t,
        ACCOUNTS.solver,
        "intent claim",
        [executing, "--from", "1"],
        /is Executing; this needs it Pending/,
      );
    });
    it("a fulfilment by another account than the assigned solver", async function () {
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent fulfill",
        [executing, "--from", "4"],
        /0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 is not the solver assigned to intent/,
      );
    });
    it("a cancellation by someone else than the user", async function () {
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent cancel",
        [pending, "--from", "4"],
        /only the intent's user 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC can cancel it/,
      );
    });
    it("failing a claim that still runs", async function () {
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent fail",
        [executing, "--from", "4"],
        /runs until .*; it can be failed after that/,
      );
    });
    it("expiring an intent that has not expired", async function () {
      await expectRejected(t, ACCOUNTS.other, "intent expire", [pending, "--from", "4"], /has not expired yet/);
    });
    it("an unknown --from account index", async function () {
      await expectRejected(
        t,
        ACCOUNTS.deployer,
        "intent claim",
        [pending, "--from", "99"],
        /--from 99: network "localhost" has 10 account\(s\)/,
      );
    });
  });

  describe("intent sign and intent relay", function () {
    let file: string;
    before(async function () {
      file = path.join(await mkdtemp(path.join(tmpdir(), "intentkit-relay-")), "signed.json");
      await t.ok("intent sign", [...transfer, "--from", "2", "--approve", "--out", file]);
    });
    it("a missing file", async function () {
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent relay",
        ["/nonexistent/signed.json", "--from", "4"],
        /^error: \/nonexistent\/signed\.json: cannot read a signed intent/,
      );
    });
    it("a malformed file, naming the field", async function () {
      const bad = JSON.parse(await readFile(file, "utf8"));
      bad.intent.user = "nobody";
      await writeFile(`${file}.bad`, JSON.stringify(bad));
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent relay",
        [`${file}.bad`, "--from", "4"],
        /intent\.user: must be an address/,
      );
    });
    it("a tampered intent (the signature no longer matches)", async function () {
      const tampered = JSON.parse(await readFile(file, "utf8"));
      tampered.intent.expiry = String(BigInt(tampered.intent.expiry) - 1n);
      await writeFile(`${file}.tampered`, JSON.stringify(tampered));
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent relay",
        [`${file}.tampered`, "--from", "4"],
        /reverted: the signature is not 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC's signature over this intent/,
      );
    });
    it("a signature for another chain's verifier", async function () {
      const other = JSON.parse(await readFile(file, "utf8"));
      other.chainId = 1;
      await writeFile(`${file}.other`, JSON.stringify(other));
      await expectRejected(
        t,
        ACCOUNTS.other,
        "intent relay",
        [`${file}.other`, "--from", "4"],
        /wrong network: the intent was signed for verifier .* on chain 1/,
      );
    });
  });
});
