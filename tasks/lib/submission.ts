// Shared by intent submit and intent relay: intake pre-checks and the report of a submission.
import type { TransactionReceipt } from "ethers";

import type { DeploymentContext } from "./context.js";
import { UserError } from "./errors.js";
import type { BuiltIntent } from "./intent.js";
import { emit, keyValueTable } from "./output.js";

/** Refuses, before sending, an intent the verifier would reject for reasons a user can act on. */
export async function checkIntake(ctx: DeploymentContext, user: string, built: BuiltIntent): Promise<void> {
  if (await ctx.verifier.paused()) {
    throw new UserError("the system is paused; a guardian can resume it with `npx hardhat admin unpause`");
  }
  if (await ctx.verifier.isBlocked(user)) throw new UserError(`user ${user} is blocked from submitting intents`);
  const [userRemaining, userRetryAfter, , globalRemaining, globalRetryAfter] = await ctx.verifier.rateLimitStatus(user);
  if (!(await ctx.verifier.isRateLimitExempt(user))) {
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    if (userRemaining === 0n) throw rateLimited(`the rate limit of ${user} is reached`, userRetryAfter, now);
    if (globalRemaining === 0n) throw rateLimited("the system-wide submission limit is reached", globalRetryAfter, now);
  }
  if (built.recipient === user) throw new UserError(`--recipient is the user ${user}; intents pay someone else`);
}

/** The retry time is the chain's, which a local chain's `chain advance` moves ahead of the wall clock. */
function rateLimited(what: string, retryAfter: bigint, chainNow: bigint): UserError {
  const at = new Date(Number(chainNow + retryAfter) * 1000).toISOString();
  return new UserError(`rate-limited: ${what}; retry in ${retryAfter} s (at ${at}, chain time)`);
}

/** The id in the receipt's IntentSubmitted event. */
export function submittedId(ctx: DeploymentContext, receipt: TransactionReceipt): string {
  for (const log of receipt.logs) {
    const parsed = ctx.verifier.interface.parseLog(log);
    if (parsed?.name === "IntentSubmitted") return parsed.args.id as string;
  }
  throw new UserError(`transaction ${receipt.hash} emitted no IntentSubmitted event`);
}

export function describeSubmission(json: boolean, id: string, built: BuiltIntent, transaction: string): void {
  const { intent, tokenIn, amountIn, tokenOut, minAmountOut, recipient } = built;
  const what =
    tokenOut === undefined
      ? `transfer ${tokenIn.format(amountIn)} to ${recipient}`
      : `swap ${tokenIn.format(amountIn)} for at least ${tokenOut.format(minAmountOut ?? 0n)} to ${recipient}`;
  const expiry = new Date(Number(intent.expiry) * 1000).toISOString();
  emit(json, { id, status: "Pending", user: intent.user, nonce: intent.nonce, expiry, intent: what, transaction }, () =>
    keyValueTable({ id, status: "Pending", user: intent.user, nonce: intent.nonce, intent: what, expiry, transaction }),
  );
}
