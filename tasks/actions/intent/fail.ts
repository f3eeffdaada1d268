// intent fail: anyone settles a claim whose deadline passed unfulfilled. The solver is slashed
// (the harmed user is paid) and the intent goes back to Pending or, past its expiry, to Failed.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { parseBytes32 } from "../../lib/args.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { loadIntent } from "../../lib/intent.js";
import { requireStatus, sendAndReport } from "../../lib/lifecycle.js";

async function run(
  args: { id: string; from: string; deployment: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  parseBytes32("<id>", args.id);
  const ctx = await openDeployment(hre, args.deployment);
  const caller = await ctx.signer(args.from);
  const loaded = await loadIntent(ctx, args.id);
  requireStatus(loaded.id, loaded.status, ["Executing"]);
  const now = (await ctx.ethers.provider.getBlock("latest"))?.timestamp ?? 0;
  if (BigInt(now) <= loaded.claimDeadline) {
    throw new UserError(
      `the claim on intent ${loaded.id} runs until ${new Date(Number(loaded.claimDeadline) * 1000).toISOString()}; it can be failed after that`,
    );
  }
  const verifier = ctx.verifier.connect(caller);
  await verifier.fail.staticCall(loaded.intent);
  await sendAndReport(ctx, args.json, loaded.id, () => verifier.fail(loaded.intent));
}

export default taskAction(run);
