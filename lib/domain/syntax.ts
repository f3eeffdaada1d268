// The syntax people use for intentkit's values: addresses, 32-byte ids, amounts ("1.5", or base
// units "1500wei"), durations ("90", "90s", "15m", "2h", "1d"), whole numbers and choices. Each
// parser names the argument it read in its error, so bad input fails with one line before any
// connection or transaction. `name` is an option's name ("amount" is shown as --amount) or a
// positional argument's, written as "<id>".
import { getAddress, isAddress, isHexString, parseUnits } from "ethers";

import { UserError } from "./errors.js";

/** How an argument is named in messages: `--amount` for an option, `<id>` for a positional. */
export function argumentLabel(name: string): string {
  return name.startsWith("<") ? name : `--${name}`;
}

export function requireValue(name: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new UserError(`${argumentLabel(name)} is required`);
  return value;
}

export function parseAddress(name: string, value: string | undefined): string {
  const text = requireValue(name, value);
  if (!isAddress(text))
    throw new UserError(`${argumentLabel(name)}: "${text}" is not an address (expected 0x followed by 40 hex digits)`);
  return getAddress(text);
}

export function parseOptionalAddress(name: string, value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : parseAddress(name, value);
}

export function parseBytes32(name: string, value: string | undefined): string {
  const text = requireValue(name, value);
  if (!isHexString(text, 32))
    throw new UserError(`${argumentLabel(name)}: "${text}" is not a 32-byte hex id (0x + 64 hex digits)`);
  return text.toLowerCase();
}

/** A token amount: "1.5" with `decimals`, or base units with a "wei" suffix ("1500wei"). */
export function parseAmount(name: string, value: string | undefined, decimals = 18): bigint {
  const text = requireValue(name, value).trim();
  if (/^\d+wei$/.test(text)) return BigInt(text.slice(0, -3));
  if (!/^\d+(\.\d+)?$/.test(text))
    throw new UserError(`${argumentLabel(name)}: "${value}" is not an amount (e.g. 1.5, or 1500wei)`);
  try {
    return parseUnits(text, decimals);
  } catch {
    throw new UserError(`${argumentLabel(name)}: "${value}" has more than ${decimals} decimals`);
  }
}

/**
 * Checks an amount's syntax before the token (and so its decimals) is known; the token's own
 * parser gives the exact value once connected. `max` is accepted when `allowMax` is set.
 */
export function checkAmountSyntax(name: string, value: string | undefined, { allowMax = false } = {}): string {
  const text = requireValue(name, value).trim();
  if (allowMax && text === "max") return text;
  if (!/^\d+wei$/.test(text) && !/^\d+(\.\d+)?$/.test(text)) {
    throw new UserError(
      `${argumentLabel(name)}: "${value}" is not an amount (e.g. 1.5, or 1500wei${allowMax ? ", or max" : ""})`,
    );
  }
  return text;
}

export function parseInteger(
  name: string,
  value: string | undefined,
  { min = 0n, max }: { min?: bigint; max?: bigint } = {},
): bigint {
  const text = requireValue(name, value).trim();
  if (!/^\d+$/.test(text)) throw new UserError(`${argumentLabel(name)}: "${value}" is not a whole number`);
  return checkRange(name, BigInt(text), min, max);
}

/** A value that must fit a contract field or a setting: [min, max], in `unit` (e.g. " s"). */
export function checkRange(name: string, value: bigint, min: bigint, max?: bigint, unit = ""): bigint {
  if (value < min || (max !== undefined && value > max)) {
    throw new UserError(`${argumentLabel(name)}: ${value}${unit} is out of range [${min}, ${max ?? "∞"}]${unit}`);
  }
  return value;
}

/** A duration: seconds ("90"), or with a unit ("90s", "15m", "2h", "1d"). */
export function parseDuration(name: string, value: string | undefined): bigint {
  const text = requireValue(name, value).trim();
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new UserError(`${argumentLabel(name)}: "${value}" is not a duration (e.g. 90, 90s, 15m, 2h, 1d)`);
  const unit = { "": 1n, s: 1n, m: 60n, h: 3600n, d: 86400n }[match[2] as "" | "s" | "m" | "h" | "d"];
  return BigInt(match[1]) * unit;
}

export function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T {
  if (value === undefined || !(choices as readonly string[]).includes(value)) {
    throw new UserError(`${argumentLabel(name)}: "${value ?? ""}" is not one of ${choices.join(", ")}`);
  }
  return value as T;
}

export const MAX_UINT16 = (1n << 16n) - 1n;
export const MAX_UINT24 = (1n << 24n) - 1n;
export const MAX_UINT32 = (1n << 32n) - 1n;
export const MAX_UINT128 = (1n << 128n) - 1n;
