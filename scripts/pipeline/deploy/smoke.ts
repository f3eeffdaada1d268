// Smoke checks against a deployment still on probation (paused, canary limits), before it is
// promoted: every contract carries the code its manifest recorded, the wiring, configuration and
// roles are what the parameters ask, and the pause really holds. Read-only: a failing check
// leaves the system exactly as it was, paused.
import { id, keccak256, type Provider } from "ethers";

import type { DeploymentConfig } from "../../../deploy/config.js";
import { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER } from "../../lib/intents.js";
import type { DeliveryNetwork } from "../config.js";
import { systemContracts } from "./contracts.js";
import type { DeploymentManifest } from "./manifest.js";

export interface SmokeCheck {
  check: string;
  ok: boolean;
  detail: string;
}

const INTENT_TYPES = { transfer: INTENT_TYPE_TRANSFER, swap: INTENT_TYPE_SWAP } as const;

export async function smokeChecks(
  provider: Provider,
  manifest: DeploymentManifest,
  config: DeploymentConfig,
  canary: DeliveryNetwork["canary"],
): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  const expect = (check: string, actual: unknown, wanted: unknown) => {
    const ok = String(actual) === String(wanted);
    checks.push({ check, ok, detail: ok ? `${String(actual)}` : `is ${String(actual)}, expected ${String(wanted)}` });
  };

  for (const [name, contract] of Object.entries(manifest.contracts)) {
    const code = await provider.getCode(contract.address);
    expect(`${name}: code as deployed`, code === "0x" ? "no code" : keccak256(code), contract.runtimeBytecodeHash);
  }
  const verifierAddress = manifest.contracts.IntentVerifier.address;
  const registryAddress = manifest.contracts.SolverRegistry.address;
  const { verifier, registry } = await systemContracts(manifest, provider);

  expect("registry: wired to the verifier", await registry.verifier(), verifierAddress);
  expect("verifier: paused", await verifier.paused(), true);
  expect("registry: paused", await registry.paused(), true);

  const [globalLimit, globalWindow, userLimit, userWindow] = await verifier.rateLimits();
  expect("verifier: canary user limit", `${userLimit}/${userWindow}s`, `${canary.user.limit}/${canary.user.window}s`);
  expect(
    "verifier: canary global limit",
    `${globalLimit}/${globalWindow}s`,
    `${canary.global.limit}/${canary.global.window}s`,
  );
  const [claimLimit, claimWindow] = await registry.claimRateLimit();
  expect(
    "registry: canary claim limit",
    `${claimLimit}/${claimWindow}s`,
    `${canary.solverClaims.limit}/${canary.solverClaims.window}s`,
  );
  expect("registry: canary concurrent claims", await registry.maxActiveClaims(), canary.maxActiveClaims);

  const [maxTtl, claimTtl] = await verifier.timings();
  expect("verifier: timings", `${maxTtl}/${claimTtl}`, `${config.timings.maxTtl}/${config.timings.claimTtl}`);
  const [minBond, unbonding] = await registry.bondParameters();
  expect("registry: bond", `${minBond}/${unbonding}`, `${config.bond.minBond}/${config.bond.unbondingPeriod}`);
  const [slashAmount, userShareBps] = await registry.slashing();
  expect(
    "registry: slashing",
    `${slashAmount}/${userShareBps}`,
    `${config.slashing.amount}/${config.slashing.userShareBps}`,
  );

  const tokenAddress = (ref: string) =>
    ref.startsWith("$") ? (manifest.contracts[`Mock${ref.slice(1)}`]?.address ?? ref) : ref;
  for (const policy of config.tokenPolicies) {
    const [allowed, min, max] = await verifier.tokenPolicy(INTENT_TYPES[policy.intentType], tokenAddress(policy.token));
    expect(
      `verifier: ${policy.intentType} policy for ${policy.token}`,
      `${allowed} ${min}..${max}`,
      `true ${policy.minAmount}..${policy.maxAmount}`,
    );
  }

  // The deployer must still hold what promote and the handover use.
  expect("verifier: deployer is default admin", await verifier.defaultAdmin(), manifest.deployer);
  expect("registry: deployer is default admin", await registry.defaultAdmin(), manifest.deployer);
  expect("verifier: deployer is guardian", await verifier.hasRole(id("GUARDIAN_ROLE"), manifest.deployer), true);
  expect("registry: deployer is guardian", await registry.hasRole(id("GUARDIAN_ROLE"), manifest.deployer), true);

  // The pause holds: a submission from anyone is refused with EnforcedPause.
  const probe = {
    user: manifest.deployer,
    intentType: INTENT_TYPE_TRANSFER,
    nonce: 0n,
    expiry: 0n,
    params: "0x",
  };
  let refusal = "accepted";
  try {
    await verifier.submit.staticCall(probe, { from: manifest.deployer });
  } catch (error) {
    const data = (error as { data?: string }).data;
    refusal = (data && verifier.interface.parseError(data)?.name) || (error as Error).message.split("\n")[0];
  }
  expect("verifier: submit refused while paused", refusal, "EnforcedPause");
  return checks;
}
