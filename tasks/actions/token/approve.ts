// token approve: sets the acting account's allowance for the verifier, the registry or any
// address (exactly the amount given; `max` for an unlimited allowance).
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { MaxUint256, ZeroAddress, getAddress, isAddress } from "ethers";

import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { checkAmountSyntax, checkFrom, mined } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

interface ApproveArgs {
  token: string;
  spender: string;
  amount: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: ApproveArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.spender === "") throw new UserError("--spender is required (verifier, registry, or an address)");
  if (args.spender !== "verifier" && args.spender !== "registry" && !isAddress(args.spender)) {
    throw new UserError(`--spender: "${args.spender}" is neither verifier, registry nor an address`);
  }
  if (isAddress(args.spender) && getAddress(args.spender) === ZeroAddress) {
    throw new UserError("--spender: the zero address cannot be approved");
  }
  const rawAmount = checkAmountSyntax("amount", args.amount, { allowMax: true });
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const token = await resolveToken(ctx, "token", args.token);
  const amount = rawAmount === "max" ? MaxUint256 : token.parse("amount", args.amount);
  const spender =
    args.spender === "verifier"
      ? String(ctx.verifier.target)
      : args.spender === "registry"
        ? String(ctx.registry.target)
        : getAddress(args.spender);
  const signer = await ctx.signer(args.from);

  const sent = await mined(token.contract.connect(signer).approve(spender, amount));
  const allowance = await token.contract.allowance(signer.address, spender);
  const shown = (value: bigint) => (value === MaxUint256 ? `unlimited ${token.symbol}` : token.format(value));
  emit(
    args.json,
    { token: token.address, symbol: token.symbol, owner: signer.address, spender, allowance, transaction: sent.hash },
    () =>
      `${signer.address} allows ${args.spender === "verifier" || args.spender === "registry" ? `the ${args.spender} ` : ""}${spender} to spend ${shown(allowance)}`,
  );
}

export default taskAction(run);
