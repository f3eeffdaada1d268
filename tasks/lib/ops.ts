// Helpers the operating tasks (solver *, ratelimit *, admin *, token *) share: input checks
// that run before any connection, role and pause pre-checks that fail before anything is sent,
// sending with a receipt, and chain-time formatting.
import { isAddress, type ContractTransactionResponse } from "ethers";

import { CONTRACT_NAMES, ROLES, UserError, roleName, type ContractKey, type RoleKey } from "../../lib/domain/index.js";
import type { DeploymentContext } from "./context.js";

export {
  CONTRACT_NAMES,
  CONTRACT_ROLES,
  INTENT_TYPES,
  MAX_UINT128,
  MAX_UINT16,
  MAX_UINT24,
  MAX_UINT32,
  ROLES,
  ROLE_CONSTANTS,
  checkAmountSyntax,
  checkRange,
  solverStatusName,
  type ContractKey,
  type IntentTypeName,
  type RoleKey,
} from "../../lib/domain/index.js";

/** `--from` as openDeployment's `signer` takes it, checked before connecting. */
export function checkFrom(from: string): string {
  if (from !== "" && !/^\d+$/.test(from) && !isAddress(from)) {
    throw new UserError(`--from: "${from}" is neither an address nor an account index`);
  }
  return from;
}

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
      `the system is paused (${describeContract(ctx, key)}); a guardian can resume it with \`npx hardhat admin unpause\``,
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
