// The snapshot of the verifier's state that the intake checks (./rules.ts) read for one intent,
// taken at one block with the verifier's own views: every read of one intent goes out together
// (one JSON-RPC batch over the service's client), and all of them name the same block.
import { Interface, dataLength } from "ethers";

import { INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER } from "../../lib/domain/intents.js";
import type { JsonRpcClient } from "../chain-reader.js";
import { type IntakeInput, type IntakeState, VERIFIER_INTERFACE } from "./rules.js";

const ERC1271_INTERFACE = new Interface([
  "function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)",
]);
const ERC1271_MAGIC = "0x1626ba7e";

export interface IntakeStateReader {
  /** The state for `input` at `block` (a number, or "latest"). */
  read(input: IntakeInput, block?: bigint | "latest"): Promise<IntakeState>;
}

/** The tokens an intent's params name (input first), when they are well formed enough to have any. */
function tokensOf(intentType: number, params: string): string[] {
  const hex = params.slice(2);
  const word = (i: number) => "0x" + hex.slice(i * 64 + 24, i * 64 + 64);
  if (intentType === INTENT_TYPE_TRANSFER && dataLength(params) === 96) return [word(0)];
  if (intentType === INTENT_TYPE_SWAP && dataLength(params) === 160) return [word(0), word(2)];
  return [];
}

export function intakeStateReader(client: JsonRpcClient, verifier: string): IntakeStateReader {
  const call = async (data: string, block: string, to = verifier): Promise<string> =>
    client.send("eth_call", [{ to, data }, block]);
  const view = async (name: string, args: unknown[], block: string) =>
    VERIFIER_INTERFACE.decodeFunctionResult(name, await call(VERIFIER_INTERFACE.encodeFunctionData(name, args), block));

  return {
    async read(input, blockTag = "latest") {
      const { intent, caller } = input;
      const block = blockTag === "latest" ? "latest" : "0x" + blockTag.toString(16);
      const user = intent.user.toLowerCase();
      const type = Number(intent.intentType) & 0xff;
      const tokens = tokensOf(Number(intent.intentType), intent.params);
      const callerIsUser = caller.toLowerCase() === user;
      const [
        header,
        paused,
        timings,
        transferOn,
        swapOn,
        transferValidator,
        swapValidator,
        nonce,
        blocked,
        limits,
        exempt,
        globalBucket,
        code,
        ...policies
      ] = await Promise.all([
        client.send("eth_getBlockByNumber", [block, false]) as Promise<{ timestamp: string }>,
        view("paused", [], block),
        view("timings", [], block),
        view("isIntentTypeEnabled", [INTENT_TYPE_TRANSFER], block),
        view("isIntentTypeEnabled", [INTENT_TYPE_SWAP], block),
        view("validatorOf", [INTENT_TYPE_TRANSFER], block),
        view("validatorOf", [INTENT_TYPE_SWAP], block),
        view("nextNonce", [user], block),
        view("isBlocked", [user], block),
        view("rateLimitStatus", [user], block),
        view("isRateLimitExempt", [callerIsUser ? user : caller], block),
        view("globalBucketId", [], block),
        client.send("eth_getCode", [user, block]) as Promise<string>,
        ...tokens.map((token) => view("tokenPolicy", [type, token], block)),
      ]);
      let contractApproves: boolean | undefined;
      if (code !== "0x" && dataLength(input.signature) > 0) {
        // SignatureChecker: a call that reverts or answers anything but the magic value is a no.
        contractApproves = await call(
          ERC1271_INTERFACE.encodeFunctionData("isValidSignature", [input.id, input.signature]),
          block,
          user,
        )
          .then((answer) => answer.slice(0, 10).toLowerCase() === ERC1271_MAGIC && dataLength(answer) === 32)
          .catch(() => false);
      }
      const enabledTypes = new Set<number>();
      if (transferOn[0]) enabledTypes.add(INTENT_TYPE_TRANSFER);
      if (swapOn[0]) enabledTypes.add(INTENT_TYPE_SWAP);
      const validatedTypes = new Set<number>();
      if (BigInt(transferValidator[0]) !== 0n) validatedTypes.add(INTENT_TYPE_TRANSFER);
      if (BigInt(swapValidator[0]) !== 0n) validatedTypes.add(INTENT_TYPE_SWAP);
      return {
        now: BigInt(header.timestamp),
        paused: paused[0],
        maxTtl: timings[0],
        enabledTypes,
        validatedTypes,
        user: {
          nextNonce: nonce[0],
          blocked: blocked[0],
          rateLimit: { remaining: limits[0], retryAfter: limits[1] },
          contractApproves,
        },
        global: { remaining: limits[3], retryAfter: limits[4], bucketId: globalBucket[0] },
        callerExempt: exempt[0],
        tokenPolicies: new Map(
          tokens.map((token, i) => [
            token.toLowerCase(),
            { allowed: policies[i][0], minAmount: policies[i][1], maxAmount: policies[i][2] },
          ]),
        ),
      };
    },
  };
}
