// The Ignition module that deploys and wires a whole intentkit system from validated parameters
// (see deploy/config.ts): mock tokens on local chains, the registry bonded in the stake token,
// the verifier, the registry's one-time wiring to the verifier, rate limits, bounds, token
// policies, optional validators and role grants.
//
// The module is built from the parsed parameters file rather than from Ignition's own parameter
// mechanism because lists (role holders, token policies, mock tokens) decide which futures exist.
// Ignition's journal still makes it resumable: futures keep stable ids, and a resumed deployment
// with the same parameters skips every future already executed.
import { buildModule } from "@nomicfoundation/ignition-core";
import { id } from "ethers";
import type { ContractFuture, NamedArtifactContractDeploymentFuture } from "@nomicfoundation/ignition-core";

import { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER } from "../../lib/domain/intents.js";
import type { DeploymentConfig } from "../config.js";

export const MODULE_ID = "IntentKit";

const INTENT_TYPES = { transfer: INTENT_TYPE_TRANSFER, swap: INTENT_TYPE_SWAP } as const;

const VERIFIER_ROLES = {
  guardians: "GUARDIAN_ROLE",
  validatorAdmins: "VALIDATOR_ADMIN_ROLE",
  policyAdmins: "POLICY_ADMIN_ROLE",
  rateLimitAdmins: "RATE_LIMIT_ADMIN_ROLE",
} as const;
const REGISTRY_ROLES = { guardians: "GUARDIAN_ROLE", rateLimitAdmins: "RATE_LIMIT_ADMIN_ROLE" } as const;

export interface ModuleOptions {
  /**
   * Pause both contracts once everything is wired (the pipeline's mainnet rollout starts paused,
   * with canary limits, and unpauses only after its smoke checks pass).
   */
  startPaused?: boolean;
}

export function buildIntentKitModule(config: DeploymentConfig, options: ModuleOptions = {}) {
  return buildModule(MODULE_ID, (m) => {
    const deployer = m.getAccount(0);

    const mocks: Record<string, NamedArtifactContractDeploymentFuture<"MockERC20">> = {};
    for (const [symbol, name] of Object.entries(config.mockTokens)) {
      mocks[symbol] = m.contract("MockERC20", [name, symbol], { id: `Mock${symbol}` });
    }
    const token = (ref: string): string | ContractFuture<string> => (ref.startsWith("$") ? mocks[ref.slice(1)] : ref);

    const treasury = config.treasury === "deployer" ? deployer : config.treasury;
    const registry = m.contract("SolverRegistry", [
      token(config.stakeToken),
      deployer,
      config.adminDelay,
      config.bond.minBond,
      config.bond.unbondingPeriod,
      treasury,
    ]);
    const verifier = m.contract("IntentVerifier", [registry, deployer, config.adminDelay]);

    // The registry accepts outcomes from exactly one verifier, set once.
    const wired = m.call(registry, "setVerifier", [verifier]);

    const { rateLimits, timings, slashing } = config;
    m.call(verifier, "setUserRateLimit", [rateLimits.user.limit, rateLimits.user.window]);
    m.call(verifier, "setGlobalRateLimit", [rateLimits.global.limit, rateLimits.global.window]);
    m.call(verifier, "setTimings", [timings.maxTtl, timings.claimTtl]);
    m.call(registry, "setClaimRateLimit", [rateLimits.solverClaims.limit, rateLimits.solverClaims.window], {
      after: [wired],
    });
    m.call(registry, "setMaxActiveClaims", [rateLimits.maxActiveClaims], { after: [wired] });
    m.call(registry, "setSlashing", [slashing.amount, slashing.userShareBps, treasury], { after: [wired] });

    config.tokenPolicies.forEach((policy, index) => {
      m.call(
        verifier,
        "setTokenPolicy",
        [INTENT_TYPES[policy.intentType], token(policy.token), true, policy.minAmount, policy.maxAmount],
        { id: `TokenPolicy_${index}_${policy.intentType}` },
      );
    });

    for (const [type, validator] of Object.entries(config.validators)) {
      if (validator === undefined) continue;
      m.call(verifier, "setValidator", [INTENT_TYPES[type as keyof typeof INTENT_TYPES], validator], {
        id: `Validator_${type}`,
      });
    }

    // Role ids are keccak256 of the role's name in both contracts (checked by the deploy tests).
    for (const [group, role] of Object.entries(VERIFIER_ROLES)) {
      config.roles[group as keyof typeof VERIFIER_ROLES].forEach((account, index) => {
        m.call(verifier, "grantRole", [id(role), account], { id: `Verifier_grant_${role}_${index}` });
      });
    }
    for (const [group, role] of Object.entries(REGISTRY_ROLES)) {
      config.roles[group as keyof typeof REGISTRY_ROLES].forEach((account, index) => {
        m.call(registry, "grantRole", [id(role), account], { id: `Registry_grant_${role}_${index}` });
      });
    }

    // Setters are not paused, so the order against the configuration calls does not matter.
    if (options.startPaused) {
      m.call(verifier, "pause", [], { id: "Verifier_pause" });
      m.call(registry, "pause", [], { id: "Registry_pause", after: [wired] });
    }

    return { registry, verifier, ...Object.fromEntries(Object.entries(mocks).map(([s, f]) => [`Mock${s}`, f])) };
  });
}
