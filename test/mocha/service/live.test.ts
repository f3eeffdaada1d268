import { expect } from "chai";

import { createService, type Service } from "../../../service/service.js";
import { type ChainWithSystem, activity, chainWithSystem, freshStore } from "./harness.js";

/** Reads SSE messages from `url` until `count` have arrived. */
async function sse(url: string, count: number): Promise<{ id: number; event: string; data: any }[]> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  const messages: { id: number; event: string; data: any }[] = [];
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    let end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const fields = Object.fromEntries(
        block.split("\n").map((line) => [line.split(": ")[0], line.slice(line.indexOf(": ") + 2)]),
      );
      if (fields.event !== undefined)
        messages.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
    }
    if (messages.length >= count) break;
  }
  abort.abort();
  return messages;
}

describe("live status on PGlite (smoke)", function () {
  this.timeout(120_000);
  let c: ChainWithSystem;
  let service: Service;
  let base: string;

  before(async function () {
    c = await chainWithSystem();
    await activity(c.f, c.provider);
    service = await createService({
      db: await freshStore(),
      provider: c.provider,
      chainId: 31337,
      contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
      startBlock: c.startBlock,
      batchSize: 10,
      pollMs: 50,
    });
    base = await service.app.listen({ host: "127.0.0.1", port: 0 });
    const head = Number(await c.provider.send("eth_blockNumber", []));
    while ((service.indexer.indexed ?? 0) < head) await new Promise((r) => setTimeout(r, 50));
  });
  after(async function () {
    await service?.close();
    await c?.stop();
  });

  it("sends an intent's history over SSE, and after Last-Event-ID only what follows", async function () {
    const ids = (await service.app.inject(`/api/intents?user=${c.f.user.address}`))
      .json()
      .intents.map((i: { id: string }) => i.id);
    const swap = ids[ids.length - 1];
    const history = await sse(`${base}/api/intents/${swap}/events`, 3);
    expect(history.map((m) => [m.event, m.data.status])).to.deep.equal([
      ["intentUpdate", "Pending"],
      ["intentUpdate", "Executing"],
      ["intentUpdate", "Completed"],
    ]);
    expect(history.map((m) => m.id)).to.deep.equal(history.map((m) => m.data.seq));
    const rest = await sse(`${base}/api/intents/${swap}/events?lastEventId=${history[0]!.id}`, 2);
    expect(rest.map((m) => m.id)).to.deep.equal([history[1]!.id, history[2]!.id]);
    expect((await service.app.inject(`/api/intents/0x12/events`)).statusCode).to.equal(400);
  });
});
