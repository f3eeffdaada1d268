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

// ---------------------------------------------------------------- decoding

// ethers' parseLog costs about 0.3 ms a log, most of an indexer's time. Events whose data holds
// only static words and `bytes` (all but a few rare ones) are read straight from the hex with
// the ABI's own fragments, to the same JSON; the others go through ethers. A test holds the two
// paths to the same output on real logs.
type FastInput = { name: string; type: string; indexed: boolean };
interface FastEvent {
  name: string;
  inputs: FastInput[];
}

const STATIC = /^(uint\d*|int\d*|address|bool|bytes\d+)$/;

const FAST: Record<ContractName, Map<string, FastEvent>> = {
  IntentVerifier: fastEvents(INTERFACES.IntentVerifier),
  SolverRegistry: fastEvents(INTERFACES.SolverRegistry),
};

function fastEvents(iface: Interface): Map<string, FastEvent> {
  const events = new Map<string, FastEvent>();
  iface.forEachEvent((fragment) => {
    const inputs = fragment.inputs.map((input) => ({
      name: input.name,
      type: input.type,
      indexed: input.indexed === true,
    }));
    const readable = inputs.every((input) => STATIC.test(input.type) || (!input.indexed && input.type === "bytes"));
    if (readable && !fragment.anonymous) events.set(fragment.topicHash, { name: fragment.name, inputs });
  });
  return events;
}

function staticValue(type: string, word: string): JsonValue {
  if (type === "address") return `0x${word.slice(24)}`;
  if (type === "bool") return BigInt(`0x${word}`) !== 0n;
  if (type.startsWith("bytes")) return `0x${word.slice(0, Number(type.slice(5)) * 2)}`;
  const value = BigInt(`0x${word}`);
  if (type.startsWith("int")) {
    const bits = BigInt(type.slice(3) || "256");
    return BigInt.asIntN(Number(bits), value).toString();
  }
  return value.toString();
}

function fastArgs(event: FastEvent, topics: readonly string[], data: string): Record<string, JsonValue> | undefined {
  const hex = data.slice(2);
  const words = (index: number) => hex.slice(index * 64, index * 64 + 64);
  const args: Record<string, JsonValue> = {};
  let topic = 1;
  let slot = 0;
  for (const input of event.inputs) {
    if (input.indexed) {
      const raw = topics[topic++];
      if (raw === undefined) return undefined;
      args[input.name] = staticValue(input.type, raw.slice(2));
      continue;
    }
    if (input.type === "bytes") {
      const offset = Number(BigInt(`0x${words(slot++)}`)) * 2;
      const length = Number(BigInt(`0x${hex.slice(offset, offset + 64)}`)) * 2;
      if (offset + 64 + length > hex.length) return undefined;
      args[input.name] = `0x${hex.slice(offset + 64, offset + 64 + length)}`;
      continue;
    }
    const word = words(slot++);
    if (word.length !== 64) return undefined;
    args[input.name] = staticValue(input.type, word);
  }
  return args;
}

/** The two shipped types' params, word by word; anything else (or malformed) through ethers. */
function paramsOf(intentType: number, params: string): JsonValue {
  const hex = params.slice(2);
  const word = (index: number) => hex.slice(index * 64, index * 64 + 64);
  const address = (index: number) => (/^0{24}/.test(word(index)) ? `0x${word(index).slice(24)}` : undefined);
  const amount = (index: number) => BigInt(`0x${word(index)}`).toString();
  if (intentType === 1 && hex.length === 3 * 64 && address(0) && address(2)) {
    return { token: address(0)!, amount: amount(1), recipient: address(2)! };
  }
  if (intentType === 2 && hex.length === 5 * 64 && address(0) && address(2) && address(4)) {
    return {
      tokenIn: address(0)!,
      amountIn: amount(1),
      tokenOut: address(2)!,
      minAmountOut: amount(3),
      recipient: address(4)!,
    };
  }
  try {
    return json(decodeParams(intentType, params));
  } catch {
    return null; // a custom type's params: kept raw
  }
}

/** What `decodeLog` decodes with, for the test that holds both paths to the same output. */
export type DecodePath = "fast" | "ethers";

/**
 * Decodes one log of `contract`; undefined for a log whose topic is none of its events (a proxy's
 * or a library's). IntentSubmitted and IntentFilled gain `type` and `decoded`: the params by type.
 */
export function decodeLog(
  contract: ContractName,
  log: Pick<Log, "topics" | "data" | "blockNumber" | "index" | "blockHash" | "transactionHash">,
  blockTime: number,
  path: DecodePath = "fast",
): ChainEvent | undefined {
  const fast = path === "fast" ? FAST[contract].get(log.topics[0] ?? "") : undefined;
  let name: string;
  let args: Record<string, JsonValue> | undefined = fast && fastArgs(fast, log.topics, log.data);
  if (fast !== undefined && args !== undefined) {
    name = fast.name;
  } else {
    const parsed = INTERFACES[contract].parseLog({ topics: [...log.topics], data: log.data });
    if (parsed === null) return undefined;
    name = parsed.name;
    args = namedArgs(parsed.args);
  }
  if (name === "IntentSubmitted" || name === "IntentFilled") {
    const intentType = Number(args.intentType);
    args.type = intentTypeName(intentType) ?? `type-${intentType}`;
    args.decoded = paramsOf(intentType, String(args.params));
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
    name,
    intentId,
    solver,
    args,
  };
}
