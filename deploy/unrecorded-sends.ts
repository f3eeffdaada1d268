// Ignition journals a transaction in two writes: the nonce it takes (TRANSACTION_PREPARE_SEND),
// then, once the node has answered, the hash (TRANSACTION_SEND). A deployment killed between the
// two leaves a nonce without a hash, and Ignition refuses to resume it (HHE10410: find the hash on
// a block explorer and run `ignition track-tx`). Before resuming, this does that by itself: it finds
// the transaction the killed run sent (mined, or still in the node's pool) and journals it with
// Ignition's own `trackTransaction`; a transaction that never reached the node is sent now, with
// the nonce, target, data and value the journal holds, and journalled the same way. Either way
// the resumed run sends nothing twice. What it cannot find it leaves to Ignition's own error.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { trackTransaction } from "@nomicfoundation/ignition-core";
import { toQuantity } from "ethers";
import type { EIP1193Provider } from "hardhat/types/providers";

/** A transaction whose nonce the journal holds and whose hash it does not. */
export interface UnrecordedSend {
  futureId: string;
  from: string;
  nonce: number;
  to: string | undefined;
  data: string;
  value: bigint;
}

interface JournalMessage {
  type: string;
  futureId?: string;
  from?: string;
  networkInteractionId?: number;
  nonce?: number;
  networkInteraction?: { id: number; type: string; to?: string; data?: string; value?: { value: string } };
  receipt?: { blockNumber?: number };
}

/** Reads the journal of `dir`; none there (a deployment not started yet) is no unrecorded send. */
export async function findUnrecordedSends(
  dir: string,
): Promise<{ sends: UnrecordedSend[]; lastConfirmedBlock: number }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, "journal.jsonl"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { sends: [], lastConfirmedBlock: 0 };
    throw error;
  }
  const senders = new Map<string, string>();
  const interactions = new Map<string, Omit<UnrecordedSend, "nonce"> & { nonce?: number; sent: boolean }>();
  let lastConfirmedBlock = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const message = JSON.parse(line) as JournalMessage;
    const key = `${message.futureId}#${message.networkInteractionId ?? message.networkInteraction?.id}`;
    const interaction = interactions.get(key);
    if (message.type.endsWith("_EXECUTION_STATE_INITIALIZE") && message.from !== undefined) {
      senders.set(message.futureId!, message.from);
    } else if (
      message.type === "NETWORK_INTERACTION_REQUEST" &&
      message.networkInteraction?.type === "ONCHAIN_INTERACTION"
    ) {
      const request = message.networkInteraction;
      interactions.set(key, {
        futureId: message.futureId!,
        from: senders.get(message.futureId!) ?? "",
        to: request.to,
        data: request.data ?? "0x",
        value: BigInt(request.value?.value ?? 0),
        sent: false,
      });
    } else if (message.type === "TRANSACTION_PREPARE_SEND" && interaction) {
      interaction.nonce = message.nonce;
    } else if (message.type === "TRANSACTION_SEND" && interaction) {
      interaction.sent = true;
    } else if (
      (message.type === "ONCHAIN_INTERACTION_DROPPED" || message.type === "ONCHAIN_INTERACTION_REPLACED_BY_USER") &&
      interaction
    ) {
      // Ignition gives the interaction up and takes a fresh nonce for it.
      interaction.nonce = undefined;
      interaction.sent = false;
    } else if (message.type === "TRANSACTION_CONFIRM") {
      lastConfirmedBlock = Math.max(lastConfirmedBlock, message.receipt?.blockNumber ?? 0);
    }
  }
  const sends = [...interactions.values()]
    .filter((i): i is typeof i & { nonce: number } => i.nonce !== undefined && !i.sent && i.from !== "")
    .map(({ sent: _sent, ...send }) => send)
    .sort((a, b) => a.nonce - b.nonce);
  return { sends, lastConfirmedBlock };
}

export interface RecoverOptions {
  dir: string;
  provider: EIP1193Provider;
  /** Ignition's, for a replaced transaction; undefined takes Ignition's default. */
  requiredConfirmations: number | undefined;
  log: (line: string) => void;
}

/** Journals every unrecorded send of `dir` that can be found or sent; see the file's comment. */
export async function recoverUnrecordedSends({
  dir,
  provider,
  requiredConfirmations,
  log,
}: RecoverOptions): Promise<void> {
  const { sends, lastConfirmedBlock } = await findUnrecordedSends(dir);
  for (const send of sends) {
    let hash = await findSentTransaction(provider, send, lastConfirmedBlock);
    if (hash !== undefined) {
      log(`${send.futureId}: the interrupted run sent ${hash} (nonce ${send.nonce}) without journalling it; adopted`);
    } else if ((await transactionCount(provider, send.from, "pending")) === send.nonce) {
      hash = (await provider.request({
        method: "eth_sendTransaction",
        params: [
          {
            from: send.from,
            ...(send.to === undefined ? {} : { to: send.to }),
            data: send.data,
            value: toQuantity(send.value),
            nonce: toQuantity(send.nonce),
          },
        ],
      })) as string;
      log(`${send.futureId}: the interrupted run took nonce ${send.nonce} but never sent it; sent now as ${hash}`);
    } else {
      continue; // someone else's transaction holds the nonce: Ignition's own error says what to do
    }
    await trackTransaction(dir, hash, provider, requiredConfirmations);
  }
}

async function transactionCount(provider: EIP1193Provider, address: string, block: string): Promise<number> {
  return Number(await provider.request({ method: "eth_getTransactionCount", params: [address, block] }));
}

interface RpcTransaction {
  hash: string;
  from: string;
  nonce: string;
}

/** The hash of `send.from`'s transaction with `send.nonce`, from the node's pool or its blocks. */
async function findSentTransaction(
  provider: EIP1193Provider,
  send: UnrecordedSend,
  fromBlock: number,
): Promise<string | undefined> {
  const from = send.from.toLowerCase();
  if ((await transactionCount(provider, from, "latest")) <= send.nonce) {
    // Not mined: look in the pool (txpool_content is geth's, anvil's and Hardhat's; not every node has it).
    try {
      const pool = (await provider.request({ method: "txpool_content" })) as Record<
        string,
        Record<string, Record<string, RpcTransaction>>
      >;
      for (const byAddress of [pool.pending ?? {}, pool.queued ?? {}]) {
        for (const [address, byNonce] of Object.entries(byAddress)) {
          if (address.toLowerCase() === from && byNonce[String(send.nonce)]) return byNonce[String(send.nonce)].hash;
        }
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  // Mined: the first block after which the sender's count passes the nonce holds it (binary search).
  let low = fromBlock;
  let high = Number(await provider.request({ method: "eth_blockNumber" }));
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if ((await transactionCount(provider, from, toQuantity(middle))) > send.nonce) high = middle;
    else low = middle + 1;
  }
  const block = (await provider.request({
    method: "eth_getBlockByNumber",
    params: [toQuantity(low), true],
  })) as { transactions: RpcTransaction[] } | null;
  return block?.transactions.find((tx) => tx.from.toLowerCase() === from && Number(tx.nonce) === send.nonce)?.hash;
}
