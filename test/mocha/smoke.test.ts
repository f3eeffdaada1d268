import { expect } from "chai";
import { network } from "hardhat";

import { IntentStatus } from "../../scripts/lib/intents.js";
import { systemFixture } from "./fixtures.js";

const { ethers, networkHelpers } = await network.create();

describe("system fixture", function () {
  it("submits and claims a transfer intent", async function () {
    const f = await networkHelpers.loadFixture(async function deployed() {
      return systemFixture(ethers);
    });
    const intent = await f.transferIntent();
    await f.verifier.connect(f.user).submit(intent);
    const id = await f.verifier.hashIntent(intent);
    expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Pending);
    await f.verifier.connect(f.solver).claim(id);
    expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.Executing);
  });
});
