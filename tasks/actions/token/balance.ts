// token balance: an account's balances of one token, or of every token the deployment knows
// (its stake token and its mocks).
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseAddress } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { emit, rowsTable } from "../../lib/output.js";
import { resolveToken, type ResolvedToken } from "../../lib/tokens.js";

interface BalanceArgs {
  account: string;
  token: string;
  deployment: string;
  json: boolean;
}

async function run(args: BalanceArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const account = parseAddress("account", args.account);

  const ctx = await openDeployment(hre, args.deployment);
  const tokens: ResolvedToken[] = [];
  if (args.token !== "") {
    tokens.push(await resolveToken(ctx, "token", args.token));
  } else {
    const addresses = [...new Set([ctx.record.stakeToken, ...Object.values(ctx.record.mockTokens)])];
    for (const address of addresses) tokens.push(await resolveToken(ctx, "token", address));
  }
  const balances: Array<{ token: string; symbol: string; decimals: number; balance: bigint; formatted: string }> = [];
  for (const token of tokens) {
    const balance = await token.contract.balanceOf(account);
    balances.push({
      token: token.address,
      symbol: token.symbol,
      decimals: token.decimals,
      balance,
      formatted: token.format(balance),
    });
  }
  emit(
    args.json,
    { account, balances },
    () =>
      `balances of ${account}\n` +
      rowsTable(balances.map((b) => ({ token: b.symbol, address: b.token, balance: b.formatted }))),
  );
}

export default taskAction(run);
