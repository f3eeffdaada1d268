// admin set-slashing: what a failed claim costs a solver and who receives it. Needs
// DEFAULT_ADMIN_ROLE on the registry.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { parseAddress, parseInteger } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { MAX_UINT128, checkAmountSyntax, checkFrom, mined, requireRole } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

interface SetSlashingArgs {
  amount: string;
  userShare: string;
  treasury: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: SetSlashingArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  checkAmountSyntax("amount", args.amount);
  const userShareBps = parseInteger("user-share", args.userShare, { min: 0n, max: 10_000n });
  const treasury = parseAddress("treasury", args.treasury);
  if (treasury === ZeroAddress) throw new UserError("--treasury: the zero address cannot be the treasury");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const stake = await resolveToken(ctx, "stake-token", ctx.record.stakeToken);
  const amount = stake.parse("amount", args.amount);
  if (amount > MAX_UINT128)
    throw new UserError(`--amount: ${amount} base units does not fit the registry's 128-bit field`);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "registry", "admin", signer.address);

  const read = async () => {
    const [slashAmount, share, to] = await ctx.registry.slashing();
    return { slashAmount, userShareBps: share, treasury: to };
  };
  const previous = await read();
  const sent = await mined(ctx.registry.connect(signer).setSlashing(amount, userShareBps, treasury));
  const now = await read();
  const pending = await ctx.registry.pendingTerms();
  const scheduled =
    pending.effectiveAt === 0n
      ? null
      : {
          slashAmount: pending.slashAmount,
          userShareBps: pending.userShareBps,
          treasury: pending.treasury,
          effectiveAt: new Date(Number(pending.effectiveAt) * 1000).toISOString(),
        };
  const describe = (s: typeof now) =>
    `${stake.format(s.slashAmount)} per failed claim, ${Number(s.userShareBps) / 100}% to the user, rest to ${s.treasury}`;
  emit(args.json, { ...now, previous, scheduled, transaction: sent.hash }, () =>
    scheduled === null
      ? `slashing: ${describe(previous)}\n      -> ${describe(now)}`
      : `slashing: ${describe(previous)}\n      scheduled -> ${describe(scheduled)}, applies at ${scheduled.effectiveAt} (bonds are at stake)`,
  );
}

export default taskAction(run);
