// intent cancel: the user withdraws a pending intent before it expires.
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
  const user = await ctx.signer(args.from);
  const loaded = await loadIntent(ctx, args.id);
  if (loaded.intent.user !== user.address) {
    throw new UserError(`only the intent's user ${loaded.intent.user} can cancel it (pass --from with that account)`);
  }
  requireStatus(loaded.id, loaded.status, ["Pending"]);
  const verifier = ctx.verifier.connect(user);
  await verifier.cancel.staticCall(loaded.intent);
  await sendAndReport(ctx, args.json, loaded.id, () => verifier.cancel(loaded.intent));
}

export default taskAction(run);
