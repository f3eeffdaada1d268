// intent sign: the user signs an intent (EIP-712) for anyone to relay with intent relay.
import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { signIntent } from "../../../lib/domain/intents.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { buildIntent, checkFunding, checkIntentOptions } from "../../lib/intent.js";
import { print, toJson } from "../../lib/output.js";
import { checkIntake } from "../../lib/submission.js";
import type { SubmitArgs } from "./submit.js";

async function run(args: SubmitArgs & { out: string }, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkIntentOptions(args);
  const ctx = await openDeployment(hre, args.deployment);
  const user = await ctx.signer(args.from);
  const built = await buildIntent(ctx, user.address, args);
  await checkIntake(ctx, user.address, built);
  const { needsApproval, allowance } = await checkFunding(ctx, user.address, built, args.approve);
  if (needsApproval) {
    await (await built.tokenIn.contract.connect(user).approve(ctx.verifier.target, allowance + built.amountIn)).wait();
  }
  const signature = await signIntent(user, String(ctx.verifier.target), BigInt(ctx.chainId), built.intent);
  const signed = {
    chainId: ctx.chainId,
    verifier: ctx.verifier.target,
    id: await ctx.verifier.hashIntent(built.intent),
    intent: built.intent,
    signature,
  };
  if (args.out === "") {
    print(toJson(signed));
    return;
  }
  await writeFile(args.out, `${toJson(signed)}\n`);
  print(args.json ? toJson({ id: signed.id, file: args.out }) : `signed intent ${signed.id} written to ${args.out}`);
}

export default taskAction(run);
