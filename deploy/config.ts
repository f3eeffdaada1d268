// The per-network deployment parameters (deploy/parameters/<network>.json): their schema, and a
// loader that validates a file before anything is sent and names the first bad field.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { getAddress, isAddress } from "ethers";
import { z } from "zod";

import { UserError } from "../lib/domain/errors.js";

const UINT24_MAX = 2 ** 24 - 1;
const UINT32_MAX = 2 ** 32 - 1;
const UINT48_MAX = 2 ** 48 - 1;

/** A checksummed address. */
const address = z
  .string()
  .refine((value) => isAddress(value), { message: "must be a 0x-prefixed 20-byte address" })
  .transform((value) => getAddress(value));

/** A token amount in base units: a decimal integer string ("1000000000000000000000") or "<n>e<k>". */
const amount = z.union([z.string(), z.number().int().nonnegative()]).transform((value, ctx) => {
  const text = String(value).trim();
  const scientific = /^(\d+)e(\d+)$/.exec(text);
  if (scientific) return BigInt(scientific[1]) * 10n ** BigInt(scientific[2]);
  if (/^\d+$/.test(text)) return BigInt(text);
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number of base units, got "${text}"` });
  return z.NEVER;
});

const seconds = (max: number) => z.number().int().min(1).max(max);

const rateLimit = z.object({ limit: seconds(UINT24_MAX), window: seconds(UINT24_MAX) }).strict();

/** A token: an address, or on local chains "$<SYMBOL>" for a mock token the deployment creates. */
const tokenRef = z.union([address, z.string().regex(/^\$[A-Z]{2,8}$/, "must be an address or $SYMBOL")]);

const intentType = z.enum(["transfer", "swap"]);

export const deploymentConfigSchema = z
  .object({
    /** The bond token: an existing ERC-20, or "$STK" on local chains for a mock. */
    stakeToken: tokenRef,
    /** Mock ERC-20 tokens to deploy first (local chains only): symbol → name. */
    mockTokens: z.record(z.string().regex(/^[A-Z]{2,8}$/), z.string().min(1)).default({}),
    /** Receives the part of each slash not paid to the harmed user; "deployer" for the deployer. */
    treasury: z.union([address, z.literal("deployer")]).default("deployer"),
    /** Delay (s) before a default-admin handover takes effect, on both contracts. */
    adminDelay: z.number().int().min(0).max(UINT48_MAX),
    bond: z.object({ minBond: amount, unbondingPeriod: seconds(UINT32_MAX) }).strict(),
    slashing: z.object({ amount: amount, userShareBps: z.number().int().min(0).max(10_000) }).strict(),
    rateLimits: z
      .object({
        user: rateLimit,
        global: rateLimit,
        solverClaims: rateLimit,
        maxActiveClaims: z.number().int().min(1).max(255),
      })
      .strict(),
    timings: z
      .object({ maxTtl: seconds(UINT32_MAX), claimTtl: seconds(65_535) })
      .strict()
      .refine((t) => t.claimTtl <= t.maxTtl, { message: "claimTtl must not exceed maxTtl", path: ["claimTtl"] }),
    /** Accounts granted each role, on top of the deployer (who holds them all). */
    roles: z
      .object({
        guardians: z.array(address).default([]),
        validatorAdmins: z.array(address).default([]),
        policyAdmins: z.array(address).default([]),
        rateLimitAdmins: z.array(address).default([]),
      })
      .strict()
      .default({}),
    /** Optional pluggable validators, on top of the built-in rules. */
    validators: z.object({ transfer: address.optional(), swap: address.optional() }).strict().default({}),
    /** Tokens each intent type accepts, with amount bounds. Intents using any other token fail. */
    tokenPolicies: z
      .array(
        z
          .object({ intentType, token: tokenRef, minAmount: amount, maxAmount: amount })
          .strict()
          .refine((p) => p.minAmount <= p.maxAmount, { message: "minAmount exceeds maxAmount", path: ["minAmount"] }),
      )
      .default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const mocks = new Set(Object.keys(config.mockTokens));
    const check = (ref: string, where: (string | number)[]) => {
      if (ref.startsWith("$") && !mocks.has(ref.slice(1))) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: where, message: `${ref} is not one of mockTokens` });
      }
    };
    check(config.stakeToken, ["stakeToken"]);
    config.tokenPolicies.forEach((p, i) => check(p.token, ["tokenPolicies", i, "token"]));
    if (config.slashing.amount > config.bond.minBond) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["slashing", "amount"],
        message: "must not exceed bond.minBond",
      });
    }
  });

export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;

export const PARAMETERS_DIR = "deploy/parameters";

/** The parameters file used for `networkName` when none is given. */
export function defaultParametersFile(root: string, networkName: string): string {
  return path.join(root, PARAMETERS_DIR, `${networkName === "default" ? "localhost" : networkName}.json`);
}

/** Reads and validates a parameters file; every failure is a one-line {@link UserError}. */
export async function loadDeploymentConfig(file: string): Promise<DeploymentConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new UserError(`no deployment parameters at ${file}; create it (see deploy/parameters/localhost.json)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseDeploymentConfig(json, file);
}

export function parseDeploymentConfig(json: unknown, source: string): DeploymentConfig {
  const result = deploymentConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : "";
  throw new UserError(`invalid deployment parameters in ${source}: ${field}: ${issue.message}${more}`);
}
