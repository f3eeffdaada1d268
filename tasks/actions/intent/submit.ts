// intent submit: the user submits an intent directly.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { buildIntent, checkFunding, checkIntentOptions, type IntentOptions } from "../../lib/intent.js";
import { checkIntake, describeSubmission, submittedId } from "../../lib/submission.js";

export interface SubmitArgs extends IntentOptions {
  from: string;
  approve: boolean;
  deployment: string;
  json: boolean;
}

async function run(args: SubmitArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkIntentOptions(args);
  const ctx = await openDeployment(hre, args.deployment);
  const user = await ctx.signer(args.from);
  const built = await buildIntent(ctx, user.address, args);
  await checkIntake(ctx, user.address, built);
  const { needsApproval, allowance } = await checkFunding(ctx, user.address, built, args.approve);
  // Simulate first so a rejected intent sends nothing, not even the approval (intake does not
  // look at allowances; only fulfilment pulls the tokens).
  await ctx.verifier.connect(user).submit.staticCall(built.intent);
  if (needsApproval)
    await (await built.tokenIn.contract.connect(user).approve(ctx.verifier.target, allowance + built.amountIn)).wait();
  const receipt = await (await ctx.verifier.connect(user).submit(built.intent)).wait();
  if (receipt === null) throw new UserError("the submission was dropped");
  const id = submittedId(ctx, receipt);
  describeSubmission(args.json, id, built, receipt.hash);
}

export default taskAction(run);
