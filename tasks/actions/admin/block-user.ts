// admin block-user: a blocked user's intents are rejected at intake (--unblock lifts it).
// Needs GUARDIAN_ROLE on the verifier.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { parseAddress } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { checkFrom, mined, requireRole } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";

interface BlockUserArgs {
  user: string;
  unblock: boolean;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: BlockUserArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const user = parseAddress("user", args.user);
  if (user === ZeroAddress) throw new UserError("--user: the zero address cannot be blocked");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "verifier", "guardian", signer.address);
  const block = !args.unblock;
  const previous = await ctx.verifier.isBlocked(user);
  let transaction: string | null = null;
  if (previous !== block) transaction = (await mined(ctx.verifier.connect(signer).setUserBlocked(user, block))).hash;
  const blocked = await ctx.verifier.isBlocked(user);
  emit(args.json, { user, blocked, previous, transaction }, () =>
    transaction === null
      ? `${user} is already ${blocked ? "blocked" : "not blocked"}; nothing sent`
      : `${user} is now ${blocked ? "blocked from submitting intents" : "unblocked"}`,
  );
}

export default taskAction(run);
