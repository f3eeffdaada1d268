// intent expire: anyone records on chain that a pending intent passed its expiry (statusOf
// already reports it Expired; this writes it down and emits IntentExpired).
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { parseBytes32 } from "../../lib/args.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { loadIntent } from "../../lib/intent.js";
import { sendAndReport } from "../../lib/lifecycle.js";

async function run(
  args: { id: string; from: string; deployment: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
) {
  parseBytes32("<id>", args.id);
  const ctx = await openDeployment(hre, args.deployment);
  const caller = await ctx.signer(args.from);
  const loaded = await loadIntent(ctx, args.id);
  const stored = Number((await ctx.verifier.getIntent(loaded.id)).status);
  if (stored !== 1)
    throw new UserError(`intent ${loaded.id} is ${loaded.status}; only a pending intent can be expired`);
  if (loaded.status !== "Expired") {
    throw new UserError(
      `intent ${loaded.id} has not expired yet; it expires at ${new Date(Number(loaded.intent.expiry) * 1000).toISOString()}`,
    );
  }
  const verifier = ctx.verifier.connect(caller);
  await verifier.expire.staticCall(loaded.intent);
  await sendAndReport(ctx, args.json, loaded.id, () => verifier.expire(loaded.intent));
}

export default taskAction(run);
