// admin set-timings: the longest lifetime an intent may ask for and the claim window. Needs
// DEFAULT_ADMIN_ROLE on the verifier.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseDuration } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { MAX_UINT16, MAX_UINT32, checkFrom, checkRange, mined, requireRole } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";

interface SetTimingsArgs {
  maxTtl: string;
  claimTtl: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: SetTimingsArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const maxTtl = checkRange("max-ttl", parseDuration("max-ttl", args.maxTtl), 1n, MAX_UINT32, " s");
  const claimCap = maxTtl < MAX_UINT16 ? maxTtl : MAX_UINT16;
  const claimTtl = checkRange("claim-ttl", parseDuration("claim-ttl", args.claimTtl), 1n, claimCap, " s");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "verifier", "admin", signer.address);
  const [previousMaxTtl, previousClaimTtl] = await ctx.verifier.timings();
  const sent = await mined(ctx.verifier.connect(signer).setTimings(maxTtl, claimTtl));
  const [nowMaxTtl, nowClaimTtl] = await ctx.verifier.timings();
  emit(
    args.json,
    {
      maxTtl: nowMaxTtl,
      claimTtl: nowClaimTtl,
      previous: { maxTtl: previousMaxTtl, claimTtl: previousClaimTtl },
      transaction: sent.hash,
    },
    () =>
      `intents live at most ${previousMaxTtl} s -> ${nowMaxTtl} s; claims last ${previousClaimTtl} s -> ${nowClaimTtl} s`,
  );
}

export default taskAction(run);
