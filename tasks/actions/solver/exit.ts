// solver exit: announces the acting solver's exit; it can withdraw once the unbonding period ends.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { chainTime, checkFrom, isoAt, mined, solverStatusName } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { readSolver, solverTable, stakeToken } from "./common.js";

interface ExitArgs {
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: ExitArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const stake = await stakeToken(ctx);

  // No pause check: exits and withdrawals stay open while the registry is paused.
  const before = await ctx.registry.getSolver(signer.address);
  const status = solverStatusName(before.status);
  if (status === "Exiting") {
    throw new UserError(`${signer.address} is already exiting; it can withdraw from ${isoAt(before.unbondingEnds)}`);
  }
  if (status !== "Active" && status !== "Suspended") {
    throw new UserError(
      `${signer.address} is ${status === "None" ? "not a solver" : `a solver in status ${status}`}; only active or suspended solvers can exit`,
    );
  }
  const sent = await mined(ctx.registry.connect(signer).announceExit());

  const view = await readSolver(ctx, stake, signer.address);
  const now = await chainTime(ctx);
  const waitSeconds = view.unbondingEnds > now ? view.unbondingEnds - now : 0n;
  emit(
    args.json,
    { ...view, withdrawableInSeconds: waitSeconds, transactions: { announceExit: sent.hash } },
    () =>
      `${signer.address} is exiting; withdraw its bond of ${stake.format(view.bond)} from ${isoAt(view.unbondingEnds)} (in ${waitSeconds} s) with \`npx hardhat solver withdraw\`\n` +
      solverTable(view, stake),
  );
}

export default taskAction(run);
