// solver credit: withdraws the acting account's slash credits (a harmed user's share, or the
// treasury's) once they have unlocked, one unbonding period after the last slash credited.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { chainTime, checkFrom, isoAt, mined } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { stakeToken } from "./common.js";

interface CreditArgs {
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: CreditArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const stake = await stakeToken(ctx);

  const [amount, unlocksAt] = await ctx.registry.creditOf(signer.address);
  if (amount === 0n) throw new UserError(`${signer.address} has no slash credit to withdraw`);
  const now = await chainTime(ctx);
  if (now < unlocksAt) {
    throw new UserError(
      `${stake.format(amount)} of slash credit for ${signer.address} unlocks at ${isoAt(unlocksAt)} (unix ${unlocksAt}), in ${unlocksAt - now} s`,
    );
  }
  const sent = await mined(ctx.registry.connect(signer).withdrawCredit());
  const balance = await stake.contract.balanceOf(signer.address);
  emit(
    args.json,
    { account: signer.address, withdrawn: amount, balance, transaction: sent.hash },
    () =>
      `withdrew ${stake.format(amount)} of slash credit to ${signer.address} (balance now ${stake.format(balance)})`,
  );
}

export default taskAction(run);
