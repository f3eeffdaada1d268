// intent claim: a registered solver takes a pending intent; it must fulfil it before the deadline.
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
  const solver = await ctx.signer(args.from);
  const loaded = await loadIntent(ctx, args.id);
  requireStatus(loaded.id, loaded.status, ["Pending"]);
  if (!(await ctx.registry.isAuthorized(solver.address))) {
    throw new UserError(
      `${solver.address} is not an active solver; register with \`npx hardhat solver register --bond <amount>\``,
    );
  }
  const verifier = ctx.verifier.connect(solver);
  await verifier.claim.staticCall(loaded.id);
  await sendAndReport(ctx, args.json, loaded.id, () => verifier.claim(loaded.id));
}

export default taskAction(run);
