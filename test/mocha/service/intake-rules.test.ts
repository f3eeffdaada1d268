// The intake checks off-chain (service/intake/rules.ts) against the verifier: OpenZeppelin's
// signature rules, and the parity suite (./intake-parity.ts) on 2,000 generated intents; the e2e
// tier runs it on 10,000 (test/e2e/intake-parity.test.ts).
import { expect } from "chai";
import { HDNodeWallet, Mnemonic } from "ethers";

import { TEST_MNEMONIC } from "../../../scripts/lib/local-chain.js";
import { recoverSigner } from "../../../service/intake/rules.js";
import { describeIntakeParity, malleated } from "./intake-parity.js";

describe("service intake signature rules", function () {
  const wallet = (index: number) =>
    HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  it("recovers signers as OpenZeppelin's ECDSA does: no malleable s, v only 27 or 28, 65 bytes", function () {
    const key = wallet(1).signingKey;
    const id = "0x" + "11".repeat(32);
    const sig = key.sign(id);
    expect(recoverSigner(id, sig.serialized)).to.equal(wallet(1).address);
    expect(recoverSigner(id, malleated(sig))).to.equal(undefined);
    expect(recoverSigner(id, sig.r + sig.s.slice(2) + "00")).to.equal(undefined);
    expect(recoverSigner(id, sig.compactSerialized)).to.equal(undefined);
  });
});

describeIntakeParity(2_000);
