// ratelimit show: what remains of the user's and the global submission buckets and of a
// solver's claim bucket, when the next action is admitted and when each bucket is full again.
// Times are chain time (the latest block), which a local chain may have moved ahead.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseOptionalAddress } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { chainTime, isoAt } from "../../lib/ops.js";
import { emit, rowsTable } from "../../lib/output.js";

interface ShowArgs {
  user: string;
  solver: string;
  deployment: string;
  json: boolean;
}

interface Bucket {
  limit: bigint;
  window: bigint;
  remaining: bigint;
  retryAfter: bigint;
  nextAdmissionAt: string;
  fullIn: bigint;
  fullAt: string;
}

function bucket(
  now: bigint,
  limit: bigint,
  window: bigint,
  remaining: bigint,
  retryAfter: bigint,
  fullIn: bigint,
): Bucket {
  return {
    limit,
    window,
    remaining,
    retryAfter,
    nextAdmissionAt: isoAt(now + retryAfter),
    fullIn,
    fullAt: isoAt(now + fullIn),
  };
}

async function run(args: ShowArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const user = parseOptionalAddress("user", args.user);
  const solver = parseOptionalAddress("solver", args.solver);
  if (user === undefined && solver === undefined)
    throw new UserError("give --user <address>, --solver <address>, or both");

  const ctx = await openDeployment(hre, args.deployment);
  const now = await chainTime(ctx);
  const result: Record<string, unknown> = { chainTime: now, chainTimeAt: isoAt(now) };
  const rows: Array<Record<string, unknown>> = [];
  const row = (name: string, b: Bucket) =>
    rows.push({
      bucket: name,
      limit: `${b.limit} per ${b.window} s`,
      remaining: b.remaining,
      "next admission": b.retryAfter === 0n ? "now" : `in ${b.retryAfter} s (${b.nextAdmissionAt})`,
      "full in": b.fullIn === 0n ? "full" : `${b.fullIn} s (${b.fullAt})`,
    });

  if (user !== undefined) {
    const [globalLimit, globalWindow, userLimit, userWindow] = await ctx.verifier.rateLimits();
    const [uRemaining, uRetry, uFull, gRemaining, gRetry, gFull] = await ctx.verifier.rateLimitStatus(user);
    const exempt = await ctx.verifier.isRateLimitExempt(user);
    const userBucket = { account: user, exempt, ...bucket(now, userLimit, userWindow, uRemaining, uRetry, uFull) };
    const globalBucket = bucket(now, globalLimit, globalWindow, gRemaining, gRetry, gFull);
    result.user = userBucket;
    result.global = globalBucket;
    row(`user ${user}${exempt ? " (exempt)" : ""}`, userBucket);
    row("global", globalBucket);
  }
  if (solver !== undefined) {
    const [limit, window] = await ctx.registry.claimRateLimit();
    const [remaining, retryAfter, fullIn] = await ctx.registry.claimRateLimitStatus(solver);
    const info = await ctx.registry.getSolver(solver);
    const maxActiveClaims = await ctx.registry.maxActiveClaims();
    const solverBucket = {
      account: solver,
      ...bucket(now, limit, window, remaining, retryAfter, fullIn),
      activeClaims: info.activeClaims,
      maxActiveClaims,
    };
    result.solver = solverBucket;
    row(`solver ${solver} claims (${info.activeClaims}/${maxActiveClaims} in flight)`, solverBucket);
  }
  emit(args.json, result, () => `chain time ${isoAt(now)}\n${rowsTable(rows)}`);
}

export default taskAction(run);
