// solver info: a solver's record as the registry keeps it, with its success rate, performance
// score and claim rate-limit status.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseOptionalAddress } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { chainTime, checkFrom, isoAt } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { readSolver, solverTable, stakeToken } from "./common.js";

interface InfoArgs {
  solver: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: InfoArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const given = parseOptionalAddress("solver", args.solver);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const solver = given ?? (await ctx.signer(args.from)).address;
  const stake = await stakeToken(ctx);
  const view = await readSolver(ctx, stake, solver);

  const [remaining, retryAfter, fullIn] = await ctx.registry.claimRateLimitStatus(solver);
  const [limit, window] = await ctx.registry.claimRateLimit();
  const maxActiveClaims = await ctx.registry.maxActiveClaims();
  const now = await chainTime(ctx);
  const claimRateLimit = {
    limit,
    window,
    remaining,
    retryAfter,
    nextAdmissionAt: isoAt(now + retryAfter),
    fullIn,
    maxActiveClaims,
  };
  emit(args.json, { ...view, authorized: view.status === "Active", claimRateLimit }, () =>
    solverTable(view, stake, {
      "claim rate limit": `${limit} per ${window} s; ${remaining} claim(s) admitted now${retryAfter > 0n ? `, next in ${retryAfter} s (${claimRateLimit.nextAdmissionAt})` : ""}; full in ${fullIn} s`,
      "claims in flight cap": maxActiveClaims,
    }),
  );
}

export default taskAction(run);
