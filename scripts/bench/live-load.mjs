// The subscriber side of `npm run bench:service`'s live measurement, in a process of its own, so
// that the clients' work does not run on the servers' event loop. Reads one JSON line on stdin:
// { urls, ids, perIntent, expected }: `perIntent` socket.io clients (websocket only, one
// connection each) per intent id, alternating between the urls, each subscribed to its intent.
// Prints {"ready":…} once every client is subscribed; then records, for every intentUpdate, the
// subscriber, the seq, the block and the receipt time (performance.timeOrigin + now(): wall clock
// at sub-millisecond resolution, comparable with the serving process on the same machine). When
// every subscriber has `expected` updates, or when "end" arrives on stdin, prints the receipts as
// one JSON line and exits.
// node scripts/bench/live-load.mjs < config line
import { createInterface } from "node:readline";

import { io } from "socket.io-client";

const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const { urls, ids, perIntent, expected } = JSON.parse((await input.next()).value);
const now = () => performance.timeOrigin + performance.now();
const total = ids.length * perIntent;
/** [subscriber, seq, blockNumber, receivedAt] */
const receipts = [];
let wrongIntent = 0;
let disconnects = 0;
let finish;
const complete = new Promise((resolve) => (finish = resolve));
const sockets = [];

async function open(i) {
  const intentId = ids[Math.floor(i / perIntent)];
  // forceNew: socket.io-client shares one Manager (one connection) per URL otherwise.
  const socket = io(urls[i % urls.length], { transports: ["websocket"], reconnection: false, forceNew: true });
  sockets[i] = socket;
  socket.on("intentUpdate", (update) => {
    receipts.push([i, update.seq, update.blockNumber, now()]);
    if (update.intentId !== intentId) wrongIntent++;
    if (receipts.length === total * expected) finish();
  });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  socket.on("disconnect", () => disconnects++);
  const ack = await socket.timeout(30_000).emitWithAck("subscribe", intentId);
  if (!ack.ok) throw new Error(`subscribe ${intentId}: ${JSON.stringify(ack)}`);
}

// Fifty handshakes at a time: a thousand at once measures the accept queue, not delivery.
const started = performance.now();
for (let from = 0; from < total; from += 50) {
  await Promise.all(Array.from({ length: Math.min(50, total - from) }, (_, k) => open(from + k)));
}
console.log(JSON.stringify({ ready: true, subscribers: total, connectMs: Math.round(performance.now() - started) }));

await Promise.race([complete, input.next()]);
const result = JSON.stringify({ subscribers: total, disconnects, wrongIntent, receipts });
for (const socket of sockets) socket.close();
process.stdout.write(result + "\n", () => process.exit(0));
