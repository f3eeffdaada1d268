// ratelimit set-max-claims: the cap on claims one solver may have in flight. Needs
// RATE_LIMIT_ADMIN_ROLE on the registry.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseInteger } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { MAX_UINT16, checkFrom, mined, requireRole } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";

interface SetMaxClaimsArgs {
  max: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: SetMaxClaimsArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const max = parseInteger("max", args.max, { min: 1n, max: MAX_UINT16 });
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "registry", "rate-limit-admin", signer.address);
  const previous = await ctx.registry.maxActiveClaims();
  const sent = await mined(ctx.registry.connect(signer).setMaxActiveClaims(max));
  const maxActiveClaims = await ctx.registry.maxActiveClaims();
  emit(
    args.json,
    { maxActiveClaims, previous, transaction: sent.hash },
    () => `claims in flight per solver: at most ${previous} -> at most ${maxActiveClaims}`,
  );
}

export default taskAction(run);
