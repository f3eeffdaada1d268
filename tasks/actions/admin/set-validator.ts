// admin set-validator: plugs a pluggable validator into an intent type, or removes it with
// `--validator none`. Needs VALIDATOR_ADMIN_ROLE on the verifier.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { Contract, ZeroAddress, getAddress, isAddress } from "ethers";

import { parseChoice } from "../../lib/args.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { INTENT_TYPES, checkFrom, mined, requireRole, type IntentTypeName } from "../../lib/ops.js";
import { emit } from "../../lib/output.js";

interface SetValidatorArgs {
  type: string;
  validator: string;
  from: string;
  deployment: string;
  json: boolean;
}

async function run(args: SetValidatorArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const type = parseChoice<IntentTypeName>("type", args.type, ["transfer", "swap"]);
  if (args.validator === "") throw new UserError("--validator is required (a validator address, or none)");
  if (args.validator !== "none" && !isAddress(args.validator)) {
    throw new UserError(`--validator: "${args.validator}" is neither an address nor none`);
  }
  const validator = args.validator === "none" ? ZeroAddress : getAddress(args.validator);
  if (args.validator !== "none" && validator === ZeroAddress)
    throw new UserError("--validator: use none to remove a validator");
  checkFrom(args.from);

  const ctx = await openDeployment(hre, args.deployment);
  const signer = await ctx.signer(args.from);
  await requireRole(ctx, "verifier", "validator-admin", signer.address);
  const typeId = INTENT_TYPES[type];
  if (validator !== ZeroAddress) {
    if ((await ctx.ethers.provider.getCode(validator)) === "0x")
      throw new UserError(`--validator: no contract at ${validator}`);
    let reported: bigint;
    try {
      const probe = new Contract(validator, ["function intentType() view returns (uint8)"], ctx.ethers.provider);
      reported = (await probe.intentType()) as bigint;
    } catch {
      throw new UserError(`--validator: ${validator} is not an intent validator (it has no intentType())`);
    }
    if (Number(reported) !== typeId) {
      const name = Object.entries(INTENT_TYPES).find(([, v]) => v === Number(reported))?.[0] ?? "unknown";
      throw new UserError(
        `--validator: ${validator} validates intent type ${reported} (${name}), not ${typeId} (${type})`,
      );
    }
  }
  const previous = await ctx.verifier.validatorOf(typeId);
  let transaction: string | null = null;
  if (previous !== validator)
    transaction = (await mined(ctx.verifier.connect(signer).setValidator(typeId, validator))).hash;
  const now = await ctx.verifier.validatorOf(typeId);
  const shown = (address: string) => (address === ZeroAddress ? "none" : address);
  emit(args.json, { type, intentType: typeId, validator: now, previous, transaction }, () =>
    transaction === null
      ? `the ${type} validator is already ${shown(now)}; nothing sent`
      : `${type} validator: ${shown(previous)} -> ${shown(now)}`,
  );
}

export default taskAction(run);
