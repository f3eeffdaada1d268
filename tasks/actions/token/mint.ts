// token mint: mints a local deployment's mock token. Refuses any token the deployment did not
// deploy as a mock, even one that happens to have a public `mint`.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { ZeroAddress } from "ethers";

import { parseAddress } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { checkAmountSyntax, checkFrom, mined } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

interface MintArgs {
  token: string;
  to: string;
  amount: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: MintArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const to = parseAddress("to", args.to);
  if (to === ZeroAddress) throw new UserError("--to: the zero address cannot receive tokens");
  checkAmountSyntax("amount", args.amount);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const mocks = Object.entries(ctx.record.mockTokens);
  if (mocks.length === 0) {
    throw new UserError(
      `deployment "${ctx.record.deploymentId}" has no mock tokens; only local deployments' mocks can be minted`,
    );
  }
  const token = await resolveToken(ctx, "token", args.token);
  if (!mocks.some(([, address]) => address === token.address)) {
    throw new UserError(
      `--token: ${token.symbol} at ${token.address} is not a mock token of this deployment; only its mocks can be minted (${mocks.map(([s]) => s).join(", ")})`,
    );
  }
  const amount = token.parse("amount", args.amount);
  if (amount === 0n) throw new UserError("--amount must be more than 0");
  const signer = await ctx.signer(args.from);

  const sent = await mined(token.contract.connect(signer).mint(to, amount));
  const balance = await token.contract.balanceOf(to);
  emit(
    args.json,
    {
      token: token.address,
      symbol: token.symbol,
      decimals: token.decimals,
      to,
      amount,
      balance,
      transaction: sent.hash,
    },
    () => `minted ${token.format(amount)} to ${to}; balance now ${token.format(balance)}`,
  );
}

export default taskAction(run);
