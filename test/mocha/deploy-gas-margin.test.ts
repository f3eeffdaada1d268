// Ignition's transactions carry the network's gas margin (deploy/gas-margin.ts): without it, an
// exact estimate of a transaction whose cost depends on the second it is mined in can run out of
// gas, as `setSlashing` did now and then in local deployments.
import { expect } from "chai";
import { network } from "hardhat";
import type { EIP1193Provider, RequestArguments } from "hardhat/types/providers";

import { withGasMargin } from "../../deploy/gas-margin.js";

const { ethers } = await network.create();

function fakeProvider(answers: Record<string, unknown>) {
  const seen: RequestArguments[] = [];
  const provider = {
    async request(args: RequestArguments) {
      seen.push(args);
      return answers[args.method];
    },
    on() {
      return provider;
    },
  } as unknown as EIP1193Provider;
  return { provider, seen };
}

describe("deploy: Ignition's gas margin", function () {
  it("multiplies eth_estimateGas answers and passes every other request through unchanged", async function () {
    const { provider, seen } = fakeProvider({ eth_estimateGas: "0xc350", eth_chainId: "0x7a69", eth_call: "0x" });
    const margined = withGasMargin(provider, 1.2);
    expect(await margined.request({ method: "eth_estimateGas", params: [{}] })).to.equal("0xea60"); // 50,000 -> 60,000
    expect(await margined.request({ method: "eth_chainId" })).to.equal("0x7a69");
    expect(await margined.request({ method: "eth_call", params: [{}, "latest"] })).to.equal("0x");
    expect(seen.map((r) => r.method)).to.deep.equal(["eth_estimateGas", "eth_chainId", "eth_call"]);
    expect(margined.on("chainChanged", () => undefined)).to.equal(provider);
  });

  it("leaves the provider as it is at 1 and refuses a multiplier below 1", async function () {
    const { provider } = fakeProvider({});
    expect(withGasMargin(provider, 1)).to.equal(provider);
    expect(() => withGasMargin(provider, 0.9)).to.throw(RangeError, /at least 1/);
  });

  it("is needed: setSlashing costs more when mined a second after the terms it replaces than in their second", async function () {
    const [admin, treasury] = await ethers.getSigners();
    const stake = await ethers.deployContract("MockERC20", ["Stake", "STK"]);
    const registry = await ethers.deployContract("SolverRegistry", [
      await stake.getAddress(),
      admin.address,
      0n,
      1_000n,
      3_600n,
      treasury.address,
    ]);
    const provider = ethers.provider;
    await provider.send("evm_setAutomine", [false]);
    try {
      // Two changes mined in one block: the second rewrites the time the first recorded.
      await registry.setSlashing(100n, 5_000n, treasury.address, { gasLimit: 500_000 });
      const sameSecond = await registry.setSlashing(200n, 5_000n, treasury.address, { gasLimit: 500_000 });
      await provider.send("evm_mine", []);
      const later = await registry.setSlashing(300n, 5_000n, treasury.address, { gasLimit: 500_000 });
      await provider.send("evm_increaseTime", [5]);
      await provider.send("evm_mine", []);
      const extra = (await later.wait())!.gasUsed - (await sameSecond.wait())!.gasUsed;
      expect(extra, "gas a later second adds").to.be.greaterThan(2_000n);
      // The margin covers it for this call with room to spare.
      expect(((await sameSecond.wait())!.gasUsed * 1_200n) / 1_000n).to.be.greaterThan((await later.wait())!.gasUsed);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
  });
});
