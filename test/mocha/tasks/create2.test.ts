// --create2 deploys through CreateX, so addresses depend on the salt and the code only, not on
// the deployer's nonce: two chains where the deployer's history differs get the same addresses.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { ACCOUNTS, ROOT } from "./harness.js";
import { revertEach, startTaskEnv, type TaskEnv } from "./in-process.js";

async function addresses(t: TaskEnv): Promise<Record<string, string>> {
  const record = JSON.parse(
    await readFile(path.join(ROOT, "ignition", "deployments", t.deploymentId, "intentkit.json"), "utf8"),
  );
  expect(record.strategy).to.equal("create2");
  return Object.fromEntries(Object.entries<{ address: string }>(record.contracts).map(([k, c]) => [k, c.address]));
}

describe("tasks: system deploy --create2", function () {
  this.timeout(300_000);
  const chains: TaskEnv[] = [];
  after(async function () {
    await Promise.all(chains.map((c) => c.stop()));
  });

  it("gives the same addresses on chains where the deployer's nonce differs", async function () {
    const first = await startTaskEnv({ deploy: false });
    const second = await startTaskEnv({ deploy: false });
    chains.push(first, second);
    // Move the deployer's nonce on the second chain only.
    for (let i = 0; i < 3; i++) {
      await second.rpc("eth_sendTransaction", [{ from: ACCOUNTS.deployer, to: ACCOUNTS.other, value: "0x1" }]);
    }
    expect(await second.nonce(ACCOUNTS.deployer)).to.not.equal(await first.nonce(ACCOUNTS.deployer));

    await first.ok("system deploy", ["--create2"]);
    await second.ok("system deploy", ["--create2"]);
    const a = await addresses(first);
    expect(await addresses(second)).to.deep.equal(a);
    // The system works at those addresses.
    const status = (await second.ok("system status", ["--json"])).json();
    expect(status.contracts.IntentVerifier).to.equal(a.IntentVerifier);
    expect(status.roles.verifier.GUARDIAN_ROLE).to.deep.equal([ACCOUNTS.deployer]);
  });

  it("refuses a malformed salt before sending anything", async function () {
    const t = chains[0];
    const result = await t.run("system deploy", ["--create2", "--salt", "0x1234", "--deployment", "test-salted"]);
    expect(result.code).to.not.equal(0);
    expect(result.stderr.trim()).to.equal("error: --salt must be 32 bytes of hex (0x + 64 digits)");
  });
});
