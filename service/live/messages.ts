// The live protocol's payloads, spelled once for SSE and socket.io.
import type { Update } from "./update-log.js";

export const UPDATE_EVENT = "intentUpdate";
export const RETRACTION_EVENT = "intentRetraction";

export type UpdatePayload =
  | { intentId: string; status: string; timestamp: string; blockNumber: number; txHash: string | null; seq: number }
  | { intentId: string; retracts: number; status: string; blockNumber: number; seq: number };

export function eventName(update: Update): typeof UPDATE_EVENT | typeof RETRACTION_EVENT {
  return update.kind === "transition" ? UPDATE_EVENT : RETRACTION_EVENT;
}

export function payload(update: Update): UpdatePayload {
  const { intentId, status, blockNumber, seq } = update;
  return update.kind === "transition"
    ? { intentId, status, timestamp: update.timestamp, blockNumber, txHash: update.txHash, seq }
    : { intentId, retracts: update.retracts, status, blockNumber, seq };
}

/** One SSE message: the seq as its id, so that a reconnect's Last-Event-ID resumes after it. */
export function sseMessage(update: Update): string {
  return `id: ${update.seq}\nevent: ${eventName(update)}\ndata: ${JSON.stringify(payload(update))}\n\n`;
}
