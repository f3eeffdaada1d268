// Parsers for task arguments. Every argument arrives as a string and is validated here, before
// any connection or transaction, so bad input fails with one line naming the argument.
import { getAddress, isAddress, isHexString, parseUnits } from "ethers";

import { UserError } from "./errors.js";

export function requireValue(name: string, value: string): string {
  if (value === "") throw new UserError(`--${name} is required`);
  return value;
}

export function parseAddress(name: string, value: string): string {
  requireValue(name, value);
  if (!isAddress(value))
    throw new UserError(`--${name}: "${value}" is not an address (expected 0x followed by 40 hex digits)`);
  return getAddress(value);
}

export function parseOptionalAddress(name: string, value: string): string | undefined {
  return value === "" ? undefined : parseAddress(name, value);
}

export function parseBytes32(name: string, value: string): string {
  requireValue(name, value);
  if (!isHexString(value, 32))
    throw new UserError(`--${name}: "${value}" is not a 32-byte hex id (0x + 64 hex digits)`);
  return value.toLowerCase();
}

/** A token amount: "1.5" with `decimals`, or base units with a "wei" suffix ("1500wei"). */
export function parseAmount(name: string, value: string, decimals = 18): bigint {
  requireValue(name, value);
  const text = value.trim();
  if (/^\d+wei$/.test(text)) return BigInt(text.slice(0, -3));
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UserError(`--${name}: "${value}" is not an amount (e.g. 1.5, or 1500wei)`);
  try {
    return parseUnits(text, decimals);
  } catch {
    throw new UserError(`--${name}: "${value}" has more than ${decimals} decimals`);
  }
}

export function parseInteger(
  name: string,
  value: string,
  { min = 0n, max }: { min?: bigint; max?: bigint } = {},
): bigint {
  requireValue(name, value);
  if (!/^\d+$/.test(value.trim())) throw new UserError(`--${name}: "${value}" is not a whole number`);
  const n = BigInt(value.trim());
  if (n < min || (max !== undefined && n > max)) {
    throw new UserError(`--${name}: ${n} is out of range [${min}, ${max ?? "∞"}]`);
  }
  return n;
}

/** A duration: seconds ("90"), or with a unit ("90s", "15m", "2h", "1d"). */
export function parseDuration(name: string, value: string): bigint {
  requireValue(name, value);
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new UserError(`--${name}: "${value}" is not a duration (e.g. 90, 90s, 15m, 2h, 1d)`);
  const unit = { "": 1n, s: 1n, m: 60n, h: 3600n, d: 86400n }[match[2] as "" | "s" | "m" | "h" | "d"];
  return BigInt(match[1]) * unit;
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UserError(`--${name}: "${value}" is not one of ${choices.join(", ")}`);
  }
  return value as T;
}
