// Tokens as people name them: a deployment's mock symbol ("WETH") or an address, with amounts in
// the token's own decimals.
import { formatUnits, getAddress, isAddress } from "ethers";

import type { MockERC20 } from "../../types/ethers-contracts/index.js";
import { parseAmount } from "./args.js";
import type { DeploymentContext } from "./context.js";
import { UserError } from "./errors.js";

export interface ResolvedToken {
  address: string;
  symbol: string;
  decimals: number;
  contract: MockERC20;
  /** Parses a human amount ("1.5", or "1500wei") of this token; `name` is the option's name. */
  parse(name: string, value: string): bigint;
  /** Formats base units as "1.5 WETH". */
  format(amount: bigint): string;
}

/** Resolves `--<name> <symbol|address>` against the deployment's tokens. */
export async function resolveToken(ctx: DeploymentContext, name: string, ref: string): Promise<ResolvedToken> {
  if (ref === "") throw new UserError(`--${name} is required (a token address, or one of ${knownSymbols(ctx)})`);
  let address: string;
  const upper = ref.toUpperCase();
  if (isAddress(ref)) address = getAddress(ref);
  else if (ctx.record.mockTokens[upper] !== undefined) address = ctx.record.mockTokens[upper];
  else if (upper === "STAKE") address = ctx.record.stakeToken;
  else
    throw new UserError(
      `--${name}: "${ref}" is neither an address nor a token of this deployment (${knownSymbols(ctx)})`,
    );
  if ((await ctx.ethers.provider.getCode(address)) === "0x")
    throw new UserError(`--${name}: no contract at ${address}`);
  const contract = ctx.token(address);
  let symbol: string;
  let decimals: number;
  try {
    symbol = await contract.symbol();
    decimals = Number(await contract.decimals());
  } catch {
    throw new UserError(`--${name}: ${address} does not look like an ERC-20 token (no symbol/decimals)`);
  }
  return {
    address,
    symbol,
    decimals,
    contract,
    parse: (option, value) => parseAmount(option, value, decimals),
    format: (amount) => `${formatUnits(amount, decimals)} ${symbol}`,
  };
}

function knownSymbols(ctx: DeploymentContext): string {
  const symbols = [...Object.keys(ctx.record.mockTokens), "STAKE"];
  return symbols.join(", ");
}
