// What the solver tasks share: a solver's record as tasks show it, and the stake-token checks
// (balance, allowance, optional approval) that run before registering or topping up.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { DeploymentContext } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { isoAt, mined, percent, percentText, solverStatusName, type Sent } from "../../lib/ops.js";
import { keyValueTable } from "../../lib/output.js";
import { resolveToken, type ResolvedToken } from "../../lib/tokens.js";

export interface SolverView {
  solver: string;
  status: string;
  bond: bigint;
  unbondingEnds: bigint;
  /** When the bond can be withdrawn (ISO), while exiting. */
  withdrawableAt: string | null;
  activeClaims: bigint;
  assigned: bigint;
  completed: bigint;
  failed: bigint;
  successRateBps: bigint;
  successRatePercent: number;
  performanceScoreBps: bigint;
  performanceScorePercent: number;
  /** One-transaction fills, counted apart from claims and outside the score. */
  filled: bigint;
  stakeToken: { address: string; symbol: string; decimals: number };
}

export function stakeToken(ctx: DeploymentContext): Promise<ResolvedToken> {
  return resolveToken(ctx, "stake-token", ctx.record.stakeToken);
}

export async function readSolver(ctx: DeploymentContext, stake: ResolvedToken, solver: string): Promise<SolverView> {
  const info = await ctx.registry.getSolver(solver);
  const status = solverStatusName(info.status);
  return {
    solver,
    status,
    bond: info.bond,
    unbondingEnds: info.unbondingEnds,
    withdrawableAt: status === "Exiting" ? isoAt(info.unbondingEnds) : null,
    activeClaims: info.activeClaims,
    assigned: info.assigned,
    completed: info.completed,
    failed: info.failed,
    successRateBps: info.successRateBps,
    successRatePercent: percent(info.successRateBps),
    performanceScoreBps: info.performanceScoreBps,
    performanceScorePercent: percent(info.performanceScoreBps),
    filled: info.filled,
    stakeToken: { address: stake.address, symbol: stake.symbol, decimals: stake.decimals },
  };
}

export function solverTable(view: SolverView, stake: ResolvedToken, extra: Record<string, unknown> = {}): string {
  return keyValueTable({
    solver: view.solver,
    status: view.status,
    bond: stake.format(view.bond),
    ...(view.withdrawableAt !== null
      ? { "withdrawable from": `${view.withdrawableAt} (unix ${view.unbondingEnds})` }
      : {}),
    "claims in flight": view.activeClaims,
    assigned: view.assigned,
    completed: view.completed,
    failed: view.failed,
    "success rate": percentText(view.successRateBps),
    "performance score": percentText(view.performanceScoreBps),
    "one-transaction fills": view.filled,
    ...extra,
  });
}

/**
 * Makes sure the registry can pull `amount` stake tokens from `signer`: enough balance, and an
 * allowance of at least `amount`, approving exactly `amount` first when `approve` is set.
 * `rawAmount` is the amount as typed, for the hints. Returns the approval sent, if any.
 */
export async function ensureStake(
  ctx: DeploymentContext,
  stake: ResolvedToken,
  signer: HardhatEthersSigner,
  amount: bigint,
  approve: boolean,
  rawAmount: string,
): Promise<Sent | undefined> {
  const registry = String(ctx.registry.target);
  const balance = await stake.contract.balanceOf(signer.address);
  if (balance < amount) {
    const hint = Object.values(ctx.record.mockTokens).includes(stake.address)
      ? `; mint some with \`npx hardhat token mint --token ${stake.symbol} --to ${signer.address} --amount ${rawAmount}\``
      : "";
    throw new UserError(
      `insufficient balance: ${signer.address} holds ${stake.format(balance)}, needs ${stake.format(amount)}${hint}`,
    );
  }
  const allowance = await stake.contract.allowance(signer.address, registry);
  if (allowance >= amount) return undefined;
  if (!approve) {
    throw new UserError(
      `insufficient allowance: the registry ${registry} may spend ${stake.format(allowance)} of ${signer.address}'s ${stake.symbol}, needs ${stake.format(amount)}; pass --approve, or run \`npx hardhat token approve --token ${stake.symbol} --spender registry --amount ${rawAmount} --from ${signer.address}\``,
    );
  }
  return mined(stake.contract.connect(signer).approve(registry, amount));
}
