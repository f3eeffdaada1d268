// solver topup: adds to the acting solver's bond (active or suspended solvers only), with the
// same balance and allowance checks as solver register.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { checkAmountSyntax, checkFrom, mined, requireNotPaused, solverStatusName } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { ensureStake, readSolver, solverTable, stakeToken } from "./common.js";

interface TopupArgs {
  amount: string;
  approve: boolean;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: TopupArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkAmountSyntax("amount", args.amount);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  const stake = await stakeToken(ctx);
  const amount = stake.parse("amount", args.amount);
  if (amount === 0n) throw new UserError("--amount must be more than 0");

  await requireNotPaused(ctx, "registry");
  const before = await ctx.registry.getSolver(signer.address);
  const status = solverStatusName(before.status);
  if (status !== "Active" && status !== "Suspended") {
    throw new UserError(
      `${signer.address} is ${status === "None" ? "not a solver" : `a solver in status ${status}`}; only active or suspended solvers can top up${status === "None" || status === "Exited" ? " (register with `npx hardhat solver register`)" : ""}`,
    );
  }
  const approval = await ensureStake(ctx, stake, signer, amount, args.approve, args.amount);
  const topup = await mined(ctx.registry.connect(signer).topUp(amount));

  const view = await readSolver(ctx, stake, signer.address);
  const transactions = { approve: approval?.hash ?? null, topUp: topup.hash };
  emit(
    args.json,
    { ...view, previousBond: before.bond, transactions },
    () =>
      `topped up ${signer.address}'s bond by ${stake.format(view.bond - before.bond)}: ${stake.format(before.bond)} -> ${stake.format(view.bond)}\n` +
      solverTable(view, stake),
  );
}

export default taskAction(run);
