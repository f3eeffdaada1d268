// ratelimit set: sets the per-user or global submission limit (verifier) or the per-solver
// claim limit (registry). Needs RATE_LIMIT_ADMIN_ROLE on that contract.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseChoice, parseDuration, parseInteger } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { MAX_UINT24, checkFrom, checkRange, describeContract, mined, requireRole } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";

interface SetArgs {
  scope: string;
  limit: string;
  window: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: SetArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const scope = parseChoice("scope", args.scope, ["user", "global", "solver"] as const);
  const limit = parseInteger("limit", args.limit, { min: 1n, max: MAX_UINT24 });
  const window = checkRange("window", parseDuration("window", args.window), 1n, MAX_UINT24, " s");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const key = scope === "solver" ? "registry" : "verifier";
  await requireRole(ctx, key, "rate-limit-admin", signer.address);

  const read = async (): Promise<{ limit: bigint; window: bigint }> => {
    if (scope === "solver") {
      const [l, w] = await ctx.registry.claimRateLimit();
      return { limit: l, window: w };
    }
    const [globalLimit, globalWindow, userLimit, userWindow] = await ctx.verifier.rateLimits();
    return scope === "user" ? { limit: userLimit, window: userWindow } : { limit: globalLimit, window: globalWindow };
  };
  const previous = await read();
  const sent = await mined(
    scope === "solver"
      ? ctx.registry.connect(signer).setClaimRateLimit(limit, window)
      : scope === "user"
        ? ctx.verifier.connect(signer).setUserRateLimit(limit, window)
        : ctx.verifier.connect(signer).setGlobalRateLimit(limit, window),
  );
  const now = await read();
  emit(
    args.json,
    { scope, contract: describeContract(ctx, key), ...now, previous, transaction: sent.hash },
    () =>
      `${scope} rate limit: ${previous.limit} per ${previous.window} s -> ${now.limit} per ${now.window} s (${describeContract(ctx, key)})`,
  );
}

export default taskAction(run);
