// The deployment the manifest describes is the one on chain: the chain, the code at every address,
// the wiring between the contracts and the deployer's roles.
import { expect } from "chai";
import { getAddress, id as roleId, keccak256, ZeroHash } from "ethers";

import { TEST_TIMEOUT, ctx } from "./context.js";

describe("integration: deployment", function () {
  this.timeout(TEST_TIMEOUT);

  it("has the manifest's runtime bytecode at every address of the manifest", async function () {
    const { manifest, provider } = ctx();
    const mismatched: string[] = [];
    for (const [name, contract] of Object.entries(manifest.contracts)) {
      const code = await provider.getCode(contract.address);
      const hash = code === "0x" ? "no code" : keccak256(code);
      if (hash !== contract.runtimeBytecodeHash) {
        mismatched.push(`${name} at ${contract.address}: ${hash}, manifest ${contract.runtimeBytecodeHash}`);
      }
    }
    expect(mismatched, "contracts whose code differs from the manifest").to.deep.equal([]);
  });

  it("wires the registry and the verifier to each other and gives the deployer every role", async function () {
    const { manifest, verifier, registry, stk, deployerAddress } = ctx();
    expect(getAddress(await verifier.registry()), "verifier.registry()").to.equal(
      getAddress(manifest.contracts.SolverRegistry.address),
    );
    expect(getAddress(await registry.verifier()), "registry.verifier()").to.equal(
      getAddress(manifest.contracts.IntentVerifier.address),
    );
    expect(getAddress(await registry.stakeToken()), "registry.stakeToken()").to.equal(
      getAddress(await stk.getAddress()),
    );
    const roles = {
      DEFAULT_ADMIN_ROLE: ZeroHash,
      ...Object.fromEntries(["GUARDIAN_ROLE", "RATE_LIMIT_ADMIN_ROLE"].map((r) => [r, roleId(r)])),
    };
    const verifierRoles = {
      ...roles,
      VALIDATOR_ADMIN_ROLE: roleId("VALIDATOR_ADMIN_ROLE"),
      POLICY_ADMIN_ROLE: roleId("POLICY_ADMIN_ROLE"),
    };
    const missing: string[] = [];
    for (const [name, role] of Object.entries(verifierRoles)) {
      if (!(await verifier.hasRole(role, deployerAddress))) missing.push(`IntentVerifier ${name}`);
    }
    for (const [name, role] of Object.entries(roles)) {
      if (!(await registry.hasRole(role, deployerAddress))) missing.push(`SolverRegistry ${name}`);
    }
    expect(missing, `roles the deployer ${deployerAddress} lacks`).to.deep.equal([]);
  });
});
