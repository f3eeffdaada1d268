import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";

import { ChainReadError, httpChainReader } from "../../../service/chain-reader.js";

const TO = `0x${"aa".repeat(20)}`;

interface Call {
  id: number;
  params: [{ data: string }, string];
}

describe("service chain reader", function () {
  let server: Server;
  let url: string;
  let bodies: Call[][];
  let answer: (call: Call) => { result?: string; error?: { message: string } };
  let status: number;

  before(async function () {
    server = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk) => (text += chunk));
      request.on("end", () => {
        const calls = JSON.parse(text) as Call[];
        bodies.push(calls);
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(calls.map((call) => ({ jsonrpc: "2.0", id: call.id, ...answer(call) }))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  beforeEach(function () {
    bodies = [];
    status = 200;
    answer = (call) => ({ result: `0x${call.params[0].data.slice(2)}` });
  });
  after(async function () {
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends the calls of one event-loop turn as one JSON-RPC batch, one eth_call each, and hands each its own answer", async function () {
    const reader = httpChainReader(url);
    const answers = await Promise.all(["0x01", "0x02", "0x03"].map((data) => reader.call(TO, data)));
    expect(answers).to.deep.equal(["0x01", "0x02", "0x03"]);
    expect(bodies).to.have.length(1);
    expect(bodies[0].map((call) => call.params)).to.deep.equal(
      ["0x01", "0x02", "0x03"].map((data) => [{ to: TO, data }, "latest"]),
    );
    expect(await reader.call(TO, "0x04")).to.equal("0x04");
    expect(bodies).to.have.length(2);
    await reader.close!();
  });

  it("splits a large turn into batches of the configured size", async function () {
    const reader = httpChainReader(url, { maxBatch: 2 });
    await Promise.all(["0x01", "0x02", "0x03", "0x04", "0x05"].map((data) => reader.call(TO, data)));
    expect(bodies.map((body) => body.length).sort()).to.deep.equal([1, 2, 2]);
    await reader.close!();
  });

  it("fails only the call the node refused, and every call of a batch the node answered with an HTTP error", async function () {
    const reader = httpChainReader(url);
    answer = (call) =>
      call.params[0].data === "0x02" ? { error: { message: "execution reverted" } } : { result: "0x" };
    const settled = await Promise.allSettled(["0x01", "0x02"].map((data) => reader.call(TO, data)));
    expect(settled[0].status).to.equal("fulfilled");
    expect(settled[1].status).to.equal("rejected");
    expect((settled[1] as PromiseRejectedResult).reason).to.be.instanceOf(ChainReadError);
    expect((settled[1] as PromiseRejectedResult).reason.message).to.equal("eth_call: execution reverted");
    status = 503;
    const refused = await Promise.allSettled(["0x01", "0x02"].map((data) => reader.call(TO, data)));
    expect(refused.map((result) => result.status)).to.deep.equal(["rejected", "rejected"]);
    expect((refused[0] as PromiseRejectedResult).reason.message).to.equal("eth_call: the node answered HTTP 503");
    await reader.close!();
  });
});
