import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Interface } from "ethers";

import { CONTRACTS, renderAbiFiles } from "../../scripts/export-abi.js";

describe("abi/: the shipped ABIs and signatures", function () {
  it("match the build's artifacts (run `npm run abi` after changing a contract's interface)", async function () {
    const files = await renderAbiFiles();
    for (const [name, text] of Object.entries(files)) {
      const shipped = await readFile(path.join("abi", name), "utf8");
      expect(shipped, `abi/${name} is stale`).to.equal(text);
    }
  });

  it("name every custom error of the verifier and the registry by its selector", async function () {
    const { errors } = JSON.parse(await readFile(path.join("abi", "signatures.json"), "utf8"));
    for (const name of CONTRACTS) {
      const abi = JSON.parse(await readFile(path.join("abi", `${name}.json`), "utf8"));
      new Interface(abi).forEachError((e) => expect(errors[e.selector]).to.equal(e.format("sighash")));
    }
    expect(
      errors[new Interface(["error OutcomeNotMet(uint256,uint256)"]).getError("OutcomeNotMet")!.selector],
    ).to.equal("OutcomeNotMet(uint256,uint256)");
  });
});
