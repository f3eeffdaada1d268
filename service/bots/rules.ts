// What a solver bot fills: its rules file (JSON) and the decision it makes for one intent. With no
// file the defaults fill every transfer and swap of the deployment's tokens that the bot's
// inventory covers, at no minimum margin, below a gas price of 100 gwei.
import { getAddress, isAddress } from "ethers";
import { z } from "zod";

import { type Intent, INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER, decodeParams } from "../../lib/domain/index.js";

const tokenRef = z.string().refine((value) => isAddress(value) || /^\$[A-Z]{2,8}$/.test(value), {
  message: "must be an address, or $SYMBOL for a mock token of a local deployment",
});
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal number as a string, e.g. "3000" or "0.5"');

export const rulesSchema = z
  .object({
    /** Intent types to fill; default both. */
    intentTypes: z
      .array(z.enum(["transfer", "swap"]))
      .min(1)
      .default(["transfer", "swap"]),
    /** Swap pairs, with the price the bot values tokenIn at in tokenOut; none: every pair, no price. */
    pairs: z.array(z.object({ tokenIn: tokenRef, tokenOut: tokenRef, price: decimal.optional() }).strict()).optional(),
    /** A priced swap is filled only if what the bot gets exceeds what it gives by this share. */
    minMarginBps: z.number().int().min(0).max(10_000).default(0),
    /** Tokens of transfers it fills; none: every token. */
    transferTokens: z.array(tokenRef).optional(),
    /** The most of a token (base units, decimal string) the bot commits at once; default: its balance. */
    inventory: z.record(z.string(), z.string().regex(/^\d+$/, "must be base units as a decimal string")).default({}),
    /** Claims held at once; default: the registry's limit of active claims, at most 8. */
    maxActiveClaims: z.number().int().min(1).max(1_000).optional(),
    /** No transaction while the base fee is above this. */
    maxGasPriceGwei: z.number().positive().default(100),
    /** Intents expiring sooner than this are left alone: a claim needs time to be fulfilled. */
    minSecondsLeft: z.number().int().min(1).default(60),
    /** A folder of signed intents (`intent sign --out` files) to fill in one transaction each. */
    signedIntents: z.string().min(1).optional(),
  })
  .strict();

export type RulesFile = z.infer<typeof rulesSchema>;

export interface Rules {
  intentTypes: Set<number>;
  pairs?: { tokenIn: string; tokenOut: string; price?: string }[];
  minMarginBps: number;
  transferTokens?: Set<string>;
  inventory: Map<string, bigint>;
  maxActiveClaims?: number;
  maxBaseFeeWei: bigint;
  minSecondsLeft: number;
  signedIntents?: string;
}

/** The file's problems, one line each, for the error the task prints. */
export function parseRules(raw: unknown, mockTokens: Record<string, string>): Rules {
  const parsed = rulesSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`);
    throw new RulesError(issues);
  }
  const file = parsed.data;
  const problems: string[] = [];
  const resolve = (ref: string, where: string): string => {
    if (/^0x[0-9a-fA-F]{40}$/.test(ref)) return getAddress(ref);
    const address = mockTokens[ref.slice(1)];
    if (address === undefined) {
      problems.push(
        `${where}: ${ref} is not a mock token of this deployment (${Object.keys(mockTokens).join(", ") || "none"})`,
      );
      return ref;
    }
    return getAddress(address);
  };
  const rules: Rules = {
    intentTypes: new Set(file.intentTypes.map((name) => (name === "swap" ? INTENT_TYPE_SWAP : INTENT_TYPE_TRANSFER))),
    pairs: file.pairs?.map((pair, i) => ({
      tokenIn: resolve(pair.tokenIn, `pairs.${i}.tokenIn`),
      tokenOut: resolve(pair.tokenOut, `pairs.${i}.tokenOut`),
      price: pair.price,
    })),
    minMarginBps: file.minMarginBps,
    transferTokens:
      file.transferTokens === undefined
        ? undefined
        : new Set(file.transferTokens.map((ref, i) => resolve(ref, `transferTokens.${i}`))),
    inventory: new Map(
      Object.entries(file.inventory).map(([ref, amount]) => [resolve(ref, `inventory.${ref}`), BigInt(amount)]),
    ),
    maxActiveClaims: file.maxActiveClaims,
    maxBaseFeeWei: BigInt(Math.round(file.maxGasPriceGwei * 1e9)),
    minSecondsLeft: file.minSecondsLeft,
    signedIntents: file.signedIntents,
  };
  if (problems.length > 0) throw new RulesError(problems);
  return rules;
}

export class RulesError extends Error {
  constructor(readonly problems: string[]) {
    super(`the rules file is not valid:\n  ${problems.join("\n  ")}`);
    this.name = "RulesError";
  }
}

/** What the bot knows when it decides. */
export interface Market {
  now: bigint;
  baseFeeWei: bigint;
  /** What the bot may still commit of `token`: its balance (capped by the rules' inventory) less its open claims. */
  available(token: string): bigint;
  decimals(token: string): number;
}

export type Decision = { fill: true; token: string; amountOut: bigint } | { fill: false; reason: string };

/** Whether to fill `intent`, and what it would cost the bot (`amountOut` of `token`). */
export function decide(intent: Intent, rules: Rules, market: Market): Decision {
  if (!rules.intentTypes.has(intent.intentType)) return { fill: false, reason: "intent type not in the rules" };
  if (intent.expiry - market.now < BigInt(rules.minSecondsLeft)) return { fill: false, reason: "expires too soon" };
  if (market.baseFeeWei > rules.maxBaseFeeWei) return { fill: false, reason: "gas price above the ceiling" };
  let params;
  try {
    params = decodeParams(intent.intentType, intent.params);
  } catch {
    return { fill: false, reason: "params do not decode" };
  }
  if (intent.intentType === INTENT_TYPE_TRANSFER) {
    // The verifier moves the user's own tokens: the bot delivers nothing, it spends gas.
    const token = getAddress(params.token!);
    if (rules.transferTokens !== undefined && !rules.transferTokens.has(token)) {
      return { fill: false, reason: "transfer token not in the rules" };
    }
    return { fill: true, token, amountOut: 0n };
  }
  const tokenIn = getAddress(params.tokenIn!);
  const tokenOut = getAddress(params.tokenOut!);
  const amountOut = params.minAmountOut!;
  let price: string | undefined;
  if (rules.pairs !== undefined) {
    const pair = rules.pairs.find((p) => p.tokenIn === tokenIn && p.tokenOut === tokenOut);
    if (pair === undefined) return { fill: false, reason: "pair not in the rules" };
    price = pair.price;
  }
  if (price !== undefined) {
    const [whole, fraction = ""] = price.split(".");
    const scale = 10n ** BigInt(fraction.length);
    const priceScaled = BigInt(whole + fraction);
    const shift = market.decimals(tokenOut) - market.decimals(tokenIn);
    let worth = params.amountIn! * priceScaled;
    worth = shift >= 0 ? worth * 10n ** BigInt(shift) : worth / 10n ** BigInt(-shift);
    worth /= scale; // tokenOut base units the bot values tokenIn at
    if (worth * 10_000n < amountOut * (10_000n + BigInt(rules.minMarginBps))) {
      return { fill: false, reason: "margin below the rules' minimum" };
    }
  }
  if (market.available(tokenOut) < amountOut) return { fill: false, reason: "inventory too low" };
  return { fill: true, token: tokenOut, amountOut };
}
