// Helpers the operating tasks (solver:*, ratelimit:*, admin:*, token:*) share: input checks
// that run before any connection, role and pause pre-checks that fail before anything is sent,
// sending with a receipt, and chain-time formatting.
import { id as keccakId, isAddress, ZeroHash, type ContractTransactionResponse } from "ethers";

import { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER } from "../../scripts/lib/intents.js";
import type { DeploymentContext } from "./context.js";
import { SOLVER_STATUS, UserError, roleName } from "./errors.js";

export function solverStatusName(status: bigint): string {
  return SOLVER_STATUS[Number(status)] ?? `unknown (${status})`;
}

/** Intent type ids of the shipped types. */
export const INTENT_TYPES = { transfer: INTENT_TYPE_TRANSFER, swap: INTENT_TYPE_SWAP } as const;
export type IntentTypeName = keyof typeof INTENT_TYPES;

export const MAX_UINT24 = (1n << 24n) - 1n;
export const MAX_UINT16 = (1n << 16n) - 1n;
export const MAX_UINT32 = (1n << 32n) - 1n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/** `--from` as openDeployment's `signer` takes it, checked before connecting. */
export function checkFrom(from: string): string {
  if (from !== "" && !/^\d+$/.test(from) && !isAddress(from)) {
    throw new UserError(`--from: "${from}" is neither an address nor an account index`);
  }
  return from;
}

/**
 * Checks an amount's syntax before the token (and so its decimals) is known; the token's
 * `parse` gives the exact value once connected. `max` is accepted when `allowMax` is set.
 */
export function checkAmountSyntax(name: string, value: string, { allowMax = false } = {}): string {
  if (value === "") throw new UserError(`--${name} is required`);
  const text = value.trim();
  if (allowMax && text === "max") return text;
  if (!/^\d+wei$/.test(text) && !/^\d+(\.\d+)?$/.test(text)) {
    throw new UserError(`--${name}: "${value}" is not an amount (e.g. 1.5, or 1500wei${allowMax ? ", or max" : ""})`);
  }
  return text;
}

/** A duration that must fit a contract field: [min, max] seconds. */
export function checkRange(name: string, value: bigint, min: bigint, max: bigint, unit = ""): bigint {
  if (value < min || value > max) {
    throw new UserError(`--${name}: ${value}${unit} is out of range [${min}, ${max}]${unit}`);
  }
  return value;
}

export const ROLES = {
  admin: ZeroHash,
  guardian: keccakId("GUARDIAN_ROLE"),
  "validator-admin": keccakId("VALIDATOR_ADMIN_ROLE"),
  "policy-admin": keccakId("POLICY_ADMIN_ROLE"),
  "rate-limit-admin": keccakId("RATE_LIMIT_ADMIN_ROLE"),
} as const;
export type RoleKey = keyof typeof ROLES;

export const ROLE_CONSTANTS: Record<RoleKey, string> = {
  admin: "DEFAULT_ADMIN_ROLE",
  guardian: "GUARDIAN_ROLE",
  "validator-admin": "VALIDATOR_ADMIN_ROLE",
  "policy-admin": "POLICY_ADMIN_ROLE",
  "rate-limit-admin": "RATE_LIMIT_ADMIN_ROLE",
};

export type ContractKey = "verifier" | "registry";
export const CONTRACT_NAMES: Record<ContractKey, string> = { verifier: "IntentVerifier", registry: "SolverRegistry" };

/** Roles each contract defines (besides the default admin), as `--role` names them. */
export const CONTRACT_ROLES: Record<ContractKey, RoleKey[]> = {
  verifier: ["guardian", "validator-admin", "policy-admin", "rate-limit-admin"],
  registry: ["guardian", "rate-limit-admin"],
};

interface RoleHolder {
  target: unknown;
  hasRole(role: string, account: string): Promise<boolean>;
  paused(): Promise<boolean>;
}

export function contractOf(ctx: DeploymentContext, key: ContractKey): RoleHolder & { target: string } {
  return (key === "verifier" ? ctx.verifier : ctx.registry) as unknown as RoleHolder & { target: string };
}

export function describeContract(ctx: DeploymentContext, key: ContractKey): string {
  return `${CONTRACT_NAMES[key]} ${String(contractOf(ctx, key).target)}`;
}

/** Fails before sending unless `account` holds `role` (a `--role` name or a role hash) on the contract. */
export async function requireRole(
  ctx: DeploymentContext,
  key: ContractKey,
  role: RoleKey | string,
  account: string,
): Promise<void> {
  const hash = role in ROLES ? ROLES[role as RoleKey] : role;
  if (!(await contractOf(ctx, key).hasRole(hash, account))) {
    throw new UserError(`missing role: ${account} does not hold ${roleName(hash)} on ${describeContract(ctx, key)}`);
  }
}

/** Fails before sending when the contract is paused. */
export async function requireNotPaused(ctx: DeploymentContext, key: ContractKey): Promise<void> {
  if (await contractOf(ctx, key).paused()) {
    throw new UserError(
      `the system is paused (${describeContract(ctx, key)}); a guardian can resume it with \`npx hardhat admin:unpause\``,
    );
  }
}

export interface Sent {
  hash: string;
  block: number;
}

/** Waits for a sent transaction to be mined; a mined revert throws (decoded by describeError). */
export async function mined(pending: Promise<ContractTransactionResponse>): Promise<Sent> {
  const tx = await pending;
  const receipt = await tx.wait();
  if (receipt === null) throw new UserError(`transaction ${tx.hash} was not mined`);
  return { hash: receipt.hash, block: receipt.blockNumber };
}

/** The latest block's timestamp: "now" as the contracts see it (local chains may be ahead of the clock). */
export async function chainTime(ctx: DeploymentContext): Promise<bigint> {
  const block = await ctx.ethers.provider.getBlock("latest");
  if (block === null) throw new UserError("the node returned no latest block");
  return BigInt(block.timestamp);
}

export function isoAt(timestamp: bigint): string {
  return new Date(Number(timestamp) * 1000).toISOString();
}

/** Basis points as a percentage with two decimals: 5000 -> 50. */
export function percent(bps: bigint): number {
  return Number(bps) / 100;
}

export function percentText(bps: bigint): string {
  return `${(Number(bps) / 100).toFixed(2)}%`;
}
