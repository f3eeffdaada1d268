// admin set-bond: the minimum bond and the unbonding period. Needs DEFAULT_ADMIN_ROLE on the
// registry. While bonds are at stake the change is scheduled: it applies after the current
// unbonding period plus the longest claim window, so a solver can leave first.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseDuration } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import {
  MAX_UINT128,
  MAX_UINT32,
  checkAmountSyntax,
  checkFrom,
  checkRange,
  mined,
  requireRole,
} from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

interface SetBondArgs {
  minBond: string;
  unbonding: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: SetBondArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkAmountSyntax("min-bond", args.minBond);
  const unbonding = checkRange("unbonding", parseDuration("unbonding", args.unbonding), 0n, MAX_UINT32, " s");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const stake = await resolveToken(ctx, "stake-token", ctx.record.stakeToken);
  const minBond = stake.parse("min-bond", args.minBond);
  if (minBond === 0n) throw new UserError("--min-bond must be more than 0");
  if (minBond > MAX_UINT128)
    throw new UserError(`--min-bond: ${minBond} base units does not fit the registry's 128-bit field`);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "registry", "admin", signer.address);

  const [previousMinBond, previousUnbonding] = await ctx.registry.bondParameters();
  const sent = await mined(ctx.registry.connect(signer).setBondParameters(minBond, unbonding));
  const [nowMinBond, nowUnbonding] = await ctx.registry.bondParameters();
  const pending = await ctx.registry.pendingTerms();
  const scheduled = pending.effectiveAt === 0n ? null : pending;
  emit(
    args.json,
    {
      minBond: nowMinBond,
      unbondingPeriod: nowUnbonding,
      previous: { minBond: previousMinBond, unbondingPeriod: previousUnbonding },
      scheduled:
        scheduled === null
          ? null
          : {
              minBond: scheduled.minBond,
              unbondingPeriod: scheduled.unbondingPeriod,
              effectiveAt: new Date(Number(scheduled.effectiveAt) * 1000).toISOString(),
            },
      stakeToken: { address: stake.address, symbol: stake.symbol, decimals: stake.decimals },
      transaction: sent.hash,
    },
    () =>
      scheduled === null
        ? `minimum bond ${stake.format(previousMinBond)} -> ${stake.format(nowMinBond)}; unbonding ${previousUnbonding} s -> ${nowUnbonding} s`
        : `scheduled: minimum bond ${stake.format(previousMinBond)} -> ${stake.format(scheduled.minBond)}; unbonding ${previousUnbonding} s -> ${scheduled.unbondingPeriod} s; applies at ${new Date(Number(scheduled.effectiveAt) * 1000).toISOString()} (bonds are at stake)`,
  );
}

export default taskAction(run);
