// ratelimit exempt: exempts a trusted relayer from the submission rate limits (or, with
// --revoke, makes it subject to them again). Needs RATE_LIMIT_ADMIN_ROLE on the verifier.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { parseAddress } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { checkFrom, mined, requireRole } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";

interface ExemptArgs {
  account: string;
  revoke: boolean;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: ExemptArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const account = parseAddress("account", args.account);
  if (account === ZeroAddress) throw new UserError("--account: the zero address cannot be exempted");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "verifier", "rate-limit-admin", signer.address);
  const exempt = !args.revoke;
  const previous = await ctx.verifier.isRateLimitExempt(account);
  let transaction: string | null = null;
  if (previous !== exempt) {
    transaction = (await mined(ctx.verifier.connect(signer).setRateLimitExempt(account, exempt))).hash;
  }
  const now = await ctx.verifier.isRateLimitExempt(account);
  emit(args.json, { account, exempt: now, previous, transaction }, () =>
    transaction === null
      ? `${account} is already ${now ? "exempt from" : "subject to"} the submission rate limits; nothing sent`
      : `${account} is now ${now ? "exempt from" : "subject to"} the submission rate limits`,
  );
}

export default taskAction(run);
