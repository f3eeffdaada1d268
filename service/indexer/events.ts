// The two contracts' logs, decoded into plain rows: every argument as JSON (integers as decimal
// strings, addresses lower-case), with the intent and the solver each event is about.
import { createRequire } from "node:module";

import { type InterfaceAbi, Interface, type Log, type Result } from "ethers";

import { decodeParams, intentTypeName } from "../../lib/domain/intents.js";

export type ContractName = "IntentVerifier" | "SolverRegistry";
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ChainEvent {
  blockNumber: number;
  logIndex: number;
  blockHash: string;
  /** Seconds since the epoch, from the block header. */
  blockTime: number;
  txHash: string;
  contract: ContractName;
  name: string;
  intentId: string | null;
  solver: string | null;
  args: Record<string, JsonValue>;
}

// The ABIs the project ships (abi/, written by scripts/export-abi.ts and checked by its test).
const require = createRequire(import.meta.url);
export const INTERFACES: Record<ContractName, Interface> = {
  IntentVerifier: new Interface(require("../../abi/IntentVerifier.json") as InterfaceAbi),
  SolverRegistry: new Interface(require("../../abi/SolverRegistry.json") as InterfaceAbi),
};

function json(value: unknown): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) return value.map(json);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, json(inner)]));
  }
  return String(value);
}

function namedArgs(result: Result): Record<string, JsonValue> {
  const object = result.toObject(true);
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, json(value)]));
}

/**
 * Decodes one log of `contract`; undefined for a log whose topic is none of its events (a proxy's
 * or a library's). IntentSubmitted and IntentFilled gain `decoded`: the params by intent type.
 */
export function decodeLog(
  contract: ContractName,
  log: Pick<Log, "topics" | "data" | "blockNumber" | "index" | "blockHash" | "transactionHash">,
  blockTime: number,
): ChainEvent | undefined {
  const parsed = INTERFACES[contract].parseLog({ topics: [...log.topics], data: log.data });
  if (parsed === null) return undefined;
  const args = namedArgs(parsed.args);
  if (parsed.name === "IntentSubmitted" || parsed.name === "IntentFilled") {
    const intentType = Number(args.intentType);
    args.type = intentTypeName(intentType) ?? `type-${intentType}`;
    try {
      args.decoded = json(decodeParams(intentType, String(args.params)));
    } catch {
      args.decoded = null; // a custom type's params: kept raw
    }
  }
  const intentId = typeof args.id === "string" ? args.id : null;
  const solver = typeof args.solver === "string" ? args.solver : null;
  return {
    blockNumber: log.blockNumber,
    logIndex: log.index,
    blockHash: log.blockHash,
    blockTime,
    txHash: log.transactionHash,
    contract,
    name: parsed.name,
    intentId,
    solver,
    args,
  };
}
