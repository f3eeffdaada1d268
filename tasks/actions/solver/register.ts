// solver register: bonds the acting account as a solver, after checking everything the
// registry would reject (pause, status, minimum bond, balance, allowance) so nothing is sent
// that would fail.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { checkAmountSyntax, checkFrom, mined, requireNotPaused, solverStatusName } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { ensureStake, readSolver, solverTable, stakeToken } from "./common.js";

interface RegisterArgs {
  bond: string;
  approve: boolean;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: RegisterArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkAmountSyntax("bond", args.bond);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const stake = await stakeToken(ctx);
  const bond = stake.parse("bond", args.bond);

  await requireNotPaused(ctx, "registry");
  const status = solverStatusName((await ctx.registry.getSolver(signer.address)).status);
  if (status !== "None" && status !== "Exited") {
    throw new UserError(
      `${signer.address} is already a solver (${status}); ${status === "Exiting" ? "withdraw first with `npx hardhat solver withdraw`" : "add to its bond with `npx hardhat solver topup`"}`,
    );
  }
  const [minBond] = await ctx.registry.bondParameters();
  if (bond < minBond) {
    throw new UserError(
      `insufficient bond: ${stake.format(bond)} is below the minimum bond of ${stake.format(minBond)}`,
    );
  }
  const approval = await ensureStake(ctx, stake, signer, bond, args.approve, args.bond);
  const registration = await mined(ctx.registry.connect(signer).register(bond));

  const view = await readSolver(ctx, stake, signer.address);
  const transactions = { approve: approval?.hash ?? null, register: registration.hash };
  emit(
    args.json,
    { ...view, transactions },
    () =>
      `registered ${signer.address} as a solver with a bond of ${stake.format(view.bond)}${approval ? " (approved the registry first)" : ""}\n` +
      solverTable(view, stake),
  );
}

export default taskAction(run);
