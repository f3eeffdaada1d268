// Intents in tasks: building one from options, finding a submitted one by id (its full contents
// travel in the IntentSubmitted event; the chain stores only a commitment), and describing it.
import {
  INTENT_TYPE_SWAP,
  INTENT_TYPE_TRANSFER,
  STATUS_NAMES,
  TERMINAL_STATUSES,
  decodeParams,
  encodeSwap,
  encodeTransfer,
  type DecodedParams,
  type Intent,
} from "../../lib/domain/intents.js";
import { parseAddress, parseBytes32, parseChoice, parseDuration } from "./args.js";
import type { DeploymentContext } from "./context.js";
import { UserError } from "./errors.js";
import { resolveToken, type ResolvedToken } from "./tokens.js";

export const TERMINAL = TERMINAL_STATUSES;

/** Options shared by intent submit and intent sign. */
export interface IntentOptions {
  type: string;
  token: string;
  amount: string;
  tokenOut: string;
  minOut: string;
  recipient: string;
  ttl: string;
}

export interface BuiltIntent {
  intent: Intent;
  tokenIn: ResolvedToken;
  amountIn: bigint;
  tokenOut?: ResolvedToken;
  minAmountOut?: bigint;
  recipient: string;
}

/** Checks the options that need no chain, so bad input fails before any connection. */
export function checkIntentOptions(options: IntentOptions): void {
  const type = parseChoice("type", options.type, ["transfer", "swap"]);
  parseAddress("recipient", options.recipient);
  parseDuration("ttl", options.ttl);
  if (options.token === "") throw new UserError("--token is required");
  if (options.amount === "") throw new UserError("--amount is required");
  if (type === "swap" && (options.tokenOut === "" || options.minOut === "")) {
    throw new UserError("a swap needs --token-out and --min-out");
  }
  if (type === "transfer" && (options.tokenOut !== "" || options.minOut !== "")) {
    throw new UserError("--token-out and --min-out apply to swaps only (--type swap)");
  }
}

export async function buildIntent(ctx: DeploymentContext, user: string, options: IntentOptions): Promise<BuiltIntent> {
  checkIntentOptions(options);
  const recipient = parseAddress("recipient", options.recipient);
  const ttl = parseDuration("ttl", options.ttl);
  const tokenIn = await resolveToken(ctx, "token", options.token);
  const amountIn = tokenIn.parse("amount", options.amount);
  const latest = await ctx.ethers.provider.getBlock("latest");
  const expiry = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)) + ttl;
  const nonce = await ctx.verifier.nextNonce(user);
  if (options.type === "transfer") {
    return {
      intent: {
        user,
        intentType: INTENT_TYPE_TRANSFER,
        nonce,
        expiry,
        params: encodeTransfer(tokenIn.address, amountIn, recipient),
      },
      tokenIn,
      amountIn,
      recipient,
    };
  }
  const tokenOut = await resolveToken(ctx, "token-out", options.tokenOut);
  const minAmountOut = tokenOut.parse("min-out", options.minOut);
  return {
    intent: {
      user,
      intentType: INTENT_TYPE_SWAP,
      nonce,
      expiry,
      params: encodeSwap(tokenIn.address, amountIn, tokenOut.address, minAmountOut, recipient),
    },
    tokenIn,
    amountIn,
    tokenOut,
    minAmountOut,
    recipient,
  };
}

/**
 * Checks that `user` holds and has approved what the intent will take at fulfilment. The check
 * covers this intent alone: other pending intents of the user draw on the same allowance, so
 * `--approve` raises the allowance by the intent's amount rather than setting it to the amount.
 */
export async function checkFunding(ctx: DeploymentContext, user: string, built: BuiltIntent, approve: boolean) {
  const { tokenIn, amountIn } = built;
  const balance = await tokenIn.contract.balanceOf(user);
  if (balance < amountIn) {
    throw new UserError(
      `insufficient balance: ${user} holds ${tokenIn.format(balance)}, the intent needs ${tokenIn.format(amountIn)}`,
    );
  }
  const allowance = await tokenIn.contract.allowance(user, ctx.verifier.target);
  if (allowance < amountIn && !approve) {
    throw new UserError(
      `insufficient allowance: the verifier may spend ${tokenIn.format(allowance)} of ${user}'s, the intent needs ${tokenIn.format(amountIn)} at fulfilment; pass --approve or run \`npx hardhat token approve\``,
    );
  }
  return { needsApproval: allowance < amountIn, allowance };
}

export interface LoadedIntent {
  id: string;
  intent: Intent;
  params: DecodedParams;
  status: string;
  solver: string;
  claimDeadline: bigint;
  claimedAt: bigint;
  requeued: boolean;
  submittedBlock: number;
}

/** Finds intent `--id` on the deployment; an id never submitted there is a one-line error. */
export async function loadIntent(ctx: DeploymentContext, idOption: string): Promise<LoadedIntent> {
  const id = parseBytes32("<id>", idOption);
  const fromBlock = Math.min(...Object.values(ctx.record.contracts).map((c) => c.blockNumber));
  const events = await ctx.verifier.queryFilter(ctx.verifier.filters.IntentSubmitted(id), fromBlock);
  if (events.length === 0) {
    throw new UserError(`unknown intent id ${id}: it was never submitted to deployment "${ctx.record.deploymentId}"`);
  }
  const event = events[0];
  const { user, intentType, nonce, expiry, params } = event.args;
  const intent: Intent = { user, intentType: Number(intentType), nonce, expiry, params };
  const record = await ctx.verifier.getIntent(id);
  const status = STATUS_NAMES[Number(await ctx.verifier.statusOf(id))];
  return {
    id,
    intent,
    params: decodeParams(Number(intentType), params),
    status,
    solver: record.solver,
    claimDeadline: record.claimDeadline,
    claimedAt: record.claimedAt,
    requeued: record.requeued,
    submittedBlock: event.blockNumber,
  };
}

/** The intent as a plain object for output. */
export function intentView(loaded: LoadedIntent) {
  const { intent } = loaded;
  return {
    id: loaded.id,
    status: loaded.status,
    type: intent.intentType === INTENT_TYPE_TRANSFER ? "transfer" : "swap",
    user: intent.user,
    nonce: intent.nonce,
    expiry: new Date(Number(intent.expiry) * 1000).toISOString(),
    ...loaded.params,
    solver: /^0x0+$/.test(loaded.solver) ? null : loaded.solver,
    claimedAt: loaded.claimedAt === 0n ? null : new Date(Number(loaded.claimedAt) * 1000).toISOString(),
    claimDeadline: loaded.claimDeadline === 0n ? null : new Date(Number(loaded.claimDeadline) * 1000).toISOString(),
    requeued: loaded.requeued,
  };
}

/** The lifecycle events of intent `id`, oldest first. */
export async function intentEvents(ctx: DeploymentContext, id: string, fromBlock: number) {
  const v = ctx.verifier;
  const filters = [
    v.filters.IntentSubmitted(id),
    v.filters.IntentClaimed(id),
    v.filters.IntentCompleted(id),
    v.filters.ClaimFailed(id),
    v.filters.IntentCancelled(id),
    v.filters.ClaimReleased(id),
    v.filters.IntentExpired(id),
  ];
  const all = (
    await Promise.all(filters.map((f) => v.queryFilter(f as Parameters<typeof v.queryFilter>[0], fromBlock)))
  ).flat();
  all.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  return all.map((e) => {
    const log = e as unknown as {
      eventName: string;
      args: { toObject(): Record<string, unknown> };
      blockNumber: number;
      transactionHash: string;
    };
    const args = log.args.toObject();
    delete args.id;
    return { event: log.eventName, block: log.blockNumber, transaction: log.transactionHash, args };
  });
}
