// intent fulfill: the assigned solver settles a claimed intent. The verifier pulls the user's
// tokens to the solver (a transfer pays the recipient from the user's tokens directly) and, for a
// swap, the output from the solver to the recipient; the solver reports its gas and cost.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { INTENT_TYPE_SWAP, type Fulfillment } from "../../../lib/domain/intents.js";
import { taskAction } from "../../lib/action.js";
import { parseBytes32 } from "../../lib/args.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { loadIntent } from "../../lib/intent.js";
import { requireStatus, sendAndReport } from "../../lib/lifecycle.js";
import { resolveToken } from "../../lib/tokens.js";

interface FulfillArgs {
  id: string;
  from: string;
  amountOut: string;
  approve: boolean;
  deployment: string;
  json: boolean;
}

async function run(args: FulfillArgs, hre: HardhatRuntimeEnvironment) {
  parseBytes32("<id>", args.id);
  const ctx = await openDeployment(hre, args.deployment);
  const solver = await ctx.signer(args.from);
  const loaded = await loadIntent(ctx, args.id);
  requireStatus(loaded.id, loaded.status, ["Executing"], " (claimed with intent claim)");
  if (loaded.solver !== solver.address) {
    throw new UserError(`${solver.address} is not the solver assigned to intent ${loaded.id} (${loaded.solver} is)`);
  }
  const now = (await ctx.ethers.provider.getBlock("latest"))?.timestamp ?? 0;
  if (BigInt(now) > loaded.claimDeadline) {
    throw new UserError(
      `the claim on intent ${loaded.id} lapsed at ${new Date(Number(loaded.claimDeadline) * 1000).toISOString()}; settle it with intent fail`,
    );
  }

  let amountOut = 0n;
  if (loaded.intent.intentType === INTENT_TYPE_SWAP) {
    const tokenOut = await resolveToken(ctx, "token-out", loaded.params.tokenOut!);
    const minimum = loaded.params.minAmountOut!;
    amountOut = args.amountOut === "" ? minimum : tokenOut.parse("amount-out", args.amountOut);
    if (amountOut < minimum) {
      throw new UserError(
        `--amount-out ${tokenOut.format(amountOut)} is below the intent's minimum ${tokenOut.format(minimum)}`,
      );
    }
    const balance = await tokenOut.contract.balanceOf(solver.address);
    if (balance < amountOut) {
      throw new UserError(
        `insufficient balance: solver ${solver.address} holds ${tokenOut.format(balance)}, needs ${tokenOut.format(amountOut)}`,
      );
    }
    const allowance = await tokenOut.contract.allowance(solver.address, ctx.verifier.target);
    if (allowance < amountOut) {
      if (!args.approve) {
        throw new UserError(
          `insufficient allowance: the verifier may spend ${tokenOut.format(allowance)} of the solver's, needs ${tokenOut.format(amountOut)}; pass --approve or run \`npx hardhat token approve\``,
        );
      }
      await (await tokenOut.contract.connect(solver).approve(ctx.verifier.target, amountOut)).wait();
    }
  } else if (args.amountOut !== "") {
    throw new UserError("--amount-out applies to swaps only");
  }

  const verifier = ctx.verifier.connect(solver);
  // The solver reports what the fulfilment costs it: the estimate of this very call.
  const draft: Fulfillment = { amountOut, gasUsed: 0n, totalCost: 0n, refs: [] };
  const gas = await verifier.fulfill.estimateGas(loaded.intent, draft);
  const fees = await ctx.ethers.provider.getFeeData();
  const fulfillment: Fulfillment = {
    ...draft,
    gasUsed: gas,
    totalCost: gas * (fees.gasPrice ?? fees.maxFeePerGas ?? 0n),
  };
  await sendAndReport(ctx, args.json, loaded.id, () => verifier.fulfill(loaded.intent, fulfillment));
}

export default taskAction(run);
