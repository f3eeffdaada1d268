// solver withdraw: returns the acting solver's bond once its unbonding period has ended.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { chainTime, checkFrom, isoAt, mined, solverStatusName } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { readSolver, solverTable, stakeToken } from "./common.js";

interface WithdrawArgs {
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: WithdrawArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const stake = await stakeToken(ctx);

  // No pause check: exits and withdrawals stay open while the registry is paused.
  const before = await ctx.registry.getSolver(signer.address);
  const status = solverStatusName(before.status);
  if (status !== "Exiting") {
    throw new UserError(
      `${signer.address} is ${status === "None" ? "not a solver" : `a solver in status ${status}`}; announce an exit with \`npx hardhat solver exit\` first`,
    );
  }
  const now = await chainTime(ctx);
  if (now < before.unbondingEnds) {
    throw new UserError(
      `still unbonding: ${signer.address} can withdraw from ${isoAt(before.unbondingEnds)} (unix ${before.unbondingEnds}), in ${before.unbondingEnds - now} s`,
    );
  }
  if (before.activeClaims > 0n) {
    throw new UserError(
      `${signer.address} still has ${before.activeClaims} claim(s) in flight; withdraw once they are settled`,
    );
  }
  const balanceBefore = await stake.contract.balanceOf(signer.address);
  const sent = await mined(ctx.registry.connect(signer).withdraw());
  const balanceAfter = await stake.contract.balanceOf(signer.address);

  const view = await readSolver(ctx, stake, signer.address);
  emit(
    args.json,
    { ...view, withdrawn: balanceAfter - balanceBefore, balance: balanceAfter, transactions: { withdraw: sent.hash } },
    () =>
      `withdrew ${stake.format(balanceAfter - balanceBefore)} to ${signer.address} (balance now ${stake.format(balanceAfter)})\n` +
      solverTable(view, stake),
  );
}

export default taskAction(run);
