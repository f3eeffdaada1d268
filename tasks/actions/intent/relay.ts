// intent relay: anyone submits a user's signed intent (from intent sign).
import { readFile } from "node:fs/promises";

import { getAddress, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { z } from "zod";

import { decodeParams, type Intent } from "../../../lib/domain/intents.js";
import { taskAction } from "../../lib/action.js";
import { openDeployment } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { emit, keyValueTable } from "../../lib/output.js";
import { submittedId } from "../../lib/submission.js";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "must be 0x-prefixed hex");
const uint = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v));
const signedIntentSchema = z.object({
  chainId: z.number().int(),
  verifier: z.string().refine((v) => isAddress(v), "must be an address"),
  intent: z.object({
    user: z.string().refine((v) => isAddress(v), "must be an address"),
    intentType: z.number().int().min(1).max(255),
    nonce: uint,
    expiry: uint,
    params: hex,
  }),
  signature: hex,
});

async function run(
  args: { file: string; from: string; deployment: string; json: boolean },
  hre: HardhatRuntimeEnvironment,
): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(args.file, "utf8"));
  } catch (error) {
    throw new UserError(`${args.file}: cannot read a signed intent (${(error as Error).message.split("\n")[0]})`);
  }
  const parsed = signedIntentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${args.file}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  const signed = parsed.data;
  const ctx = await openDeployment(hre, args.deployment);
  if (signed.chainId !== ctx.chainId || getAddress(signed.verifier) !== ctx.verifier.target) {
    throw new UserError(
      `wrong network: the intent was signed for verifier ${signed.verifier} on chain ${signed.chainId}, this deployment's is ${ctx.verifier.target} on chain ${ctx.chainId}`,
    );
  }
  const intent: Intent = { ...signed.intent, user: getAddress(signed.intent.user) };
  const relayer = await ctx.signer(args.from);
  const verifier = ctx.verifier.connect(relayer);
  await verifier.submitWithSignature.staticCall(intent, signed.signature);
  const receipt = await (await verifier.submitWithSignature(intent, signed.signature)).wait();
  if (receipt === null) throw new UserError("the submission was dropped");
  const id = submittedId(ctx, receipt);
  const result = {
    id,
    status: "Pending",
    user: intent.user,
    relayer: relayer.address,
    transaction: receipt.hash,
    ...decodeParams(intent.intentType, intent.params),
  };
  emit(args.json, result, () => keyValueTable(result));
}

export default taskAction(run);
