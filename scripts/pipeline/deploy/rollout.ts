// The mainnet rollout, in steps recorded in ignition/deployments/<id>/rollout.json next to
// Ignition's journal, so that a crash resumes where it stopped:
//   deploy   the build, paused, with canary rate limits (Ignition: resumable by itself)
//   smoke    read-only checks against the paused deployment (see smoke.ts)
//   promote  unpause, raise the limits to the parameters' values
//   handover every role to the configured admin (multisig/timelock); the deployer renounces its own
// A step marked done is never run again. promote and handover read the chain before each
// transaction and send only what is still missing, so a crash between two transactions of a step
// sends neither twice.
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { JsonRpcProvider, getAddress, id, type ContractTransactionResponse, type Signer } from "ethers";

import type { DeploymentConfig } from "../../../deploy/config.js";
import { systemContracts } from "./contracts.js";
import type { DeploymentManifest } from "./manifest.js";
import type { SmokeCheck } from "./smoke.js";

export const ROLLOUT_FILE = "rollout.json";
export const ROLLOUT_STEPS = ["deploy", "smoke", "promote", "handover"] as const;
export type RolloutStepName = (typeof ROLLOUT_STEPS)[number];

export interface RolloutStep {
  name: RolloutStepName;
  status: "pending" | "done" | "failed";
  /** Times the step was started: more than one means it was resumed. */
  attempts: number;
  finishedAt: string | null;
  detail: string;
  transactions: Array<{ what: string; hash: string }>;
  checks?: SmokeCheck[];
}

export interface RolloutRecord {
  deploymentId: string;
  network: string;
  chainId: number;
  buildHash: string;
  admin: string;
  startedAt: string;
  steps: RolloutStep[];
}

export function rolloutFile(deploymentDir: string): string {
  return path.join(deploymentDir, ROLLOUT_FILE);
}

export async function loadRollout(
  deploymentDir: string,
  fresh: Omit<RolloutRecord, "steps" | "startedAt">,
): Promise<RolloutRecord> {
  const file = rolloutFile(deploymentDir);
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, "utf8")) as RolloutRecord;
    if (stored.buildHash === fresh.buildHash && stored.chainId === fresh.chainId) return stored;
  }
  return {
    ...fresh,
    startedAt: new Date().toISOString(),
    steps: ROLLOUT_STEPS.map((name) => ({
      name,
      status: "pending",
      attempts: 0,
      finishedAt: null,
      detail: "",
      transactions: [],
    })),
  };
}

export async function saveRollout(deploymentDir: string, record: RolloutRecord): Promise<void> {
  const file = rolloutFile(deploymentDir);
  await mkdir(deploymentDir, { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

async function send(
  step: RolloutStep,
  what: string,
  transaction: Promise<ContractTransactionResponse>,
  save: () => Promise<void>,
): Promise<void> {
  const response = await transaction;
  step.transactions.push({ what, hash: response.hash });
  await save();
  const receipt = await response.wait();
  if (receipt?.status !== 1) throw new Error(`${what} reverted (${response.hash})`);
}

/** Unpause both contracts and raise the limits to the parameters' values. */
export async function promote(
  signer: Signer,
  manifest: DeploymentManifest,
  config: DeploymentConfig,
  step: RolloutStep,
  save: () => Promise<void>,
): Promise<void> {
  const { verifier, registry } = await systemContracts(manifest, signer);
  const { user, global, solverClaims, maxActiveClaims } = config.rateLimits;
  const [globalLimit, globalWindow, userLimit, userWindow] = await verifier.rateLimits();
  if (userLimit !== BigInt(user.limit) || userWindow !== BigInt(user.window)) {
    await send(step, "verifier.setUserRateLimit", verifier.setUserRateLimit(user.limit, user.window), save);
  }
  if (globalLimit !== BigInt(global.limit) || globalWindow !== BigInt(global.window)) {
    await send(step, "verifier.setGlobalRateLimit", verifier.setGlobalRateLimit(global.limit, global.window), save);
  }
  const [claimLimit, claimWindow] = await registry.claimRateLimit();
  if (claimLimit !== BigInt(solverClaims.limit) || claimWindow !== BigInt(solverClaims.window)) {
    await send(
      step,
      "registry.setClaimRateLimit",
      registry.setClaimRateLimit(solverClaims.limit, solverClaims.window),
      save,
    );
  }
  if ((await registry.maxActiveClaims()) !== BigInt(maxActiveClaims)) {
    await send(step, "registry.setMaxActiveClaims", registry.setMaxActiveClaims(maxActiveClaims), save);
  }
  if (await registry.paused()) await send(step, "registry.unpause", registry.unpause(), save);
  if (await verifier.paused()) await send(step, "verifier.unpause", verifier.unpause(), save);
  step.detail = `unpaused; limits user ${user.limit}/${user.window}s, global ${global.limit}/${global.window}s, claims ${solverClaims.limit}/${solverClaims.window}s, ${maxActiveClaims} concurrent`;
}

const VERIFIER_ROLES = ["GUARDIAN_ROLE", "VALIDATOR_ADMIN_ROLE", "POLICY_ADMIN_ROLE", "RATE_LIMIT_ADMIN_ROLE"];
const REGISTRY_ROLES = ["GUARDIAN_ROLE", "RATE_LIMIT_ADMIN_ROLE"];

/**
 * Every operational role to `admin`, renounced by the deployer; the default admin role goes
 * through its two-step transfer (AccessControlDefaultAdminRules): begun here, accepted by the
 * admin after the contract's delay. On a rehearsal chain, whose node holds the admin's key too,
 * `acceptAsAdmin` completes the transfer; on a real network the admin accepts it.
 */
export async function handover(
  signer: Signer,
  manifest: DeploymentManifest,
  admin: string,
  step: RolloutStep,
  save: () => Promise<void>,
  acceptAsAdmin?: { url: string },
): Promise<void> {
  const deployer = getAddress(await signer.getAddress());
  const { verifier, registry } = await systemContracts(manifest, signer);
  const contracts = [
    { label: "verifier", roles: VERIFIER_ROLES, contract: verifier },
    { label: "registry", roles: REGISTRY_ROLES, contract: registry },
  ];
  for (const { label, roles, contract } of contracts) {
    for (const role of roles) {
      if (!(await contract.hasRole(id(role), admin))) {
        await send(step, `${label}.grantRole(${role}, admin)`, contract.grantRole(id(role), admin), save);
      }
      if (await contract.hasRole(id(role), deployer)) {
        await send(step, `${label}.renounceRole(${role})`, contract.renounceRole(id(role), deployer), save);
      }
    }
    const [pending] = await contract.pendingDefaultAdmin();
    if ((await contract.defaultAdmin()) === deployer && getAddress(pending) !== getAddress(admin)) {
      await send(step, `${label}.beginDefaultAdminTransfer(admin)`, contract.beginDefaultAdminTransfer(admin), save);
    }
  }

  if (acceptAsAdmin !== undefined) {
    const provider = new JsonRpcProvider(acceptAsAdmin.url, undefined, { staticNetwork: true });
    try {
      const adminSigner = await provider.getSigner(admin);
      for (const { label, contract } of contracts) {
        const asAdmin = contract.connect(adminSigner) as typeof contract;
        if ((await asAdmin.defaultAdmin()) === getAddress(admin)) continue;
        const [, schedule] = await asAdmin.pendingDefaultAdmin();
        const block = await provider.getBlock("latest");
        // The transfer can be accepted once its schedule has passed (strictly).
        const wait = Number(schedule) - Number(block?.timestamp ?? 0) + 1;
        if (wait > 0) {
          await provider.send("evm_increaseTime", [wait]);
          await provider.send("evm_mine", []);
        }
        await send(step, `${label}.acceptDefaultAdminTransfer (as admin)`, asAdmin.acceptDefaultAdminTransfer(), save);
      }
    } finally {
      provider.destroy();
    }
  }

  const holdings: string[] = [];
  for (const { label, roles, contract } of contracts) {
    const held = [];
    for (const role of roles) if (await contract.hasRole(id(role), deployer)) held.push(role);
    if (held.length > 0) throw new Error(`the deployer still holds ${held.join(", ")} on the ${label}`);
    const current = await contract.defaultAdmin();
    const [pending] = await contract.pendingDefaultAdmin();
    holdings.push(
      current === getAddress(admin)
        ? `${label}: ${admin} is default admin`
        : `${label}: default admin transfer to ${admin} pending its acceptance (pending ${pending})`,
    );
  }
  step.detail = `roles handed to ${admin}, the deployer holds none; ${holdings.join("; ")}`;
}
