// admin set-token-policy: allows a token for an intent type with amount bounds, or disallows it.
// Needs POLICY_ADMIN_ROLE on the verifier.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseChoice } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import {
  INTENT_TYPES,
  MAX_UINT128,
  checkAmountSyntax,
  checkFrom,
  mined,
  requireRole,
  type IntentTypeName,
} from "../../lib/ops.js";
import { emit } from "../../lib/output.js";
import { resolveToken } from "../../lib/tokens.js";

interface SetTokenPolicyArgs {
  type: string;
  token: string;
  min: string;
  max: string;
  disallow: boolean;
  from: string;
  deployment: string;
  json: boolean;
}

const MAX_MIN = (1n << 120n) - 1n;

async function run(args: SetTokenPolicyArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const type = parseChoice<IntentTypeName>("type", args.type, ["transfer", "swap"]);
  if (args.token === "") throw new UserError("--token is required (a symbol such as WETH, or an address)");
  const minText = args.disallow && args.min === "" ? "0" : checkAmountSyntax("min", args.min);
  const maxText = args.disallow && args.max === "" ? "0" : checkAmountSyntax("max", args.max);
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const token = await resolveToken(ctx, "token", args.token);
  const min = token.parse("min", minText);
  const max = token.parse("max", maxText);
  if (min > max) throw new UserError(`--min ${token.format(min)} is above --max ${token.format(max)}`);
  if (min > MAX_MIN) throw new UserError(`--min: ${min} base units does not fit the policy's 120-bit field`);
  if (max > MAX_UINT128) throw new UserError(`--max: ${max} base units does not fit the policy's 128-bit field`);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "verifier", "policy-admin", signer.address);

  const typeId = INTENT_TYPES[type];
  const read = async () => {
    const [allowed, minAmount, maxAmount] = await ctx.verifier.tokenPolicy(typeId, token.address);
    return { allowed, minAmount, maxAmount };
  };
  const previous = await read();
  const sent = await mined(
    ctx.verifier.connect(signer).setTokenPolicy(typeId, token.address, !args.disallow, min, max),
  );
  const now = await read();
  const describe = (p: { allowed: boolean; minAmount: bigint; maxAmount: bigint }) =>
    p.allowed ? `allowed, ${token.format(p.minAmount)} to ${token.format(p.maxAmount)}` : "not allowed";
  emit(
    args.json,
    { type, intentType: typeId, token: token.address, symbol: token.symbol, ...now, previous, transaction: sent.hash },
    () => `${type} ${token.symbol} (${token.address}): ${describe(previous)} -> ${describe(now)}`,
  );
}

export default taskAction(run);
