// The bots' parts without a chain: how a failure is named and whether it is retried, the backoff,
// the alert interval, and the rules' decision.
import { createServer } from "node:http";

import { expect } from "chai";
import { getAddress } from "ethers";

import { encodeSwap, encodeTransfer, INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER } from "../../../lib/domain/index.js";
import { CriticalAlerts } from "../../../service/bots/alerts.js";
import { classify } from "../../../service/bots/errors.js";
import { backoffMs, StepFailed, withRetry } from "../../../service/bots/retry.js";
import { decide, parseRules, RulesError, type Market } from "../../../service/bots/rules.js";
import { RpcFailure } from "../../../service/bots/rpc.js";
import { INTERFACES } from "../../../service/indexer/events.js";

const WETH = getAddress("0x" + "11".repeat(20));
const USDC = getAddress("0x" + "22".repeat(20));
const USER = getAddress("0x" + "33".repeat(20));
const E18 = 10n ** 18n;

describe("service: bot parts", function () {
  describe("classify", function () {
    it("names transient failures and decides they are retried", function () {
      expect(classify(new RpcFailure("x: socket hang up", "network"))).to.include({
        code: "RPC_DROPPED",
        transient: true,
      });
      expect(classify(new RpcFailure("x: no answer", "timeout"))).to.include({ code: "RPC_TIMEOUT", transient: true });
      expect(classify(new RpcFailure("x", "http", { status: 429, retryAfterSeconds: 2 }))).to.include({
        code: "RPC_RATE_LIMITED",
        transient: true,
        retryAfterSeconds: 2,
      });
      expect(classify(new RpcFailure("x: nonce too low", "rpc", { rpcCode: -32000 }))).to.include({
        code: "NONCE_TOO_LOW",
        transient: true,
      });
      expect(classify(new RpcFailure("x: replacement transaction underpriced", "rpc"))).to.include({
        code: "UNDERPRICED",
        transient: true,
      });
    });

    it("names a revert by the contract's error and never retries it", function () {
      const data = INTERFACES.IntentVerifier.encodeErrorResult("InvalidStatus", ["0x" + "00".repeat(32), 3]);
      const failure = classify(new RpcFailure("x: execution reverted", "rpc", { rpcCode: 3, data }));
      expect(failure).to.include({ code: "REVERT_InvalidStatus", transient: false });
      const unknown = classify(new RpcFailure("x: execution reverted", "rpc", { rpcCode: 3, data: "0xdeadbeef" }));
      expect(unknown).to.include({ code: "REVERT_0xdeadbeef", transient: false });
      expect(classify(new RpcFailure("x: insufficient funds for gas", "rpc"))).to.include({ transient: false });
    });
  });

  describe("withRetry", function () {
    it("retries a transient failure at most 5 times, with backoff 1 s · 2ⁿ and jitter, counting each", async function () {
      const waits: number[] = [];
      const counted: string[] = [];
      let calls = 0;
      const policy = {
        attempts: 5,
        baseMs: 1_000,
        random: () => 0.5,
        sleep: async (ms: number) => void waits.push(ms),
      };
      const error = await withRetry(
        "read",
        async () => {
          calls++;
          throw new RpcFailure("x", "network");
        },
        policy,
        (failure) => counted.push(failure.code),
      ).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(StepFailed);
      expect(calls).to.equal(5);
      expect(waits).to.deep.equal([1_000, 2_000, 4_000, 8_000]);
      expect(counted).to.deep.equal(Array(5).fill("RPC_DROPPED"));
      expect(backoffMs({ ...policy, random: () => 0 }, 3)).to.equal(2_000);
      expect(backoffMs({ ...policy, random: () => 0.999 }, 3)).to.be.closeTo(5_996, 1);
    });

    it("stops at the first revert, and waits at least a 429's Retry-After (capped)", async function () {
      let calls = 0;
      const data = INTERFACES.IntentVerifier.encodeErrorResult("InvalidNonce", [USER, 1, 0]);
      await withRetry(
        "claim",
        async () => {
          calls++;
          throw new RpcFailure("x", "rpc", { data });
        },
        { attempts: 5, baseMs: 1, sleep: async () => {} },
        () => {},
      ).catch(() => {});
      expect(calls).to.equal(1);
      const asked = { code: "RPC_RATE_LIMITED", transient: true, message: "", retryAfterSeconds: 30 };
      expect(backoffMs({ attempts: 5, baseMs: 100, random: () => 0.5 }, 1, asked)).to.equal(30_000);
      expect(backoffMs({ attempts: 5, baseMs: 100, random: () => 0.5, maxRetryAfterMs: 500 }, 1, asked)).to.equal(500);
    });
  });

  describe("critical alerts", function () {
    it("posts one alert per cause per interval to the webhook", async function () {
      const received: { cause: string }[] = [];
      const server = createServer((request, response) => {
        let body = "";
        request.on("data", (chunk) => (body += chunk));
        request.on("end", () => {
          received.push(JSON.parse(body));
          response.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      let now = 0;
      const alerts = new CriticalAlerts({
        webhookUrl: `http://127.0.0.1:${port}/hook`,
        intervalMs: 60_000,
        bot: "solver",
        account: USER,
        now: () => now,
      });
      try {
        await alerts.raise("SLASHED", "one");
        await alerts.raise("SLASHED", "again");
        await alerts.raise("STUCK_NONCE", "other cause");
        now = 60_000;
        await alerts.raise("SLASHED", "after the interval");
        expect(received.map((a) => a.cause)).to.deep.equal(["SLASHED", "STUCK_NONCE", "SLASHED"]);
        expect(alerts.suppressed).to.equal(1);
        expect(received[0]).to.include({ bot: "solver", account: USER, message: "one" });
      } finally {
        server.close();
      }
    });
  });

  describe("rules", function () {
    const market = (balance: bigint): Market => ({
      now: 1_000n,
      baseFeeWei: 1_000_000_000n,
      available: () => balance,
      decimals: () => 18,
    });
    const swap = (amountIn: bigint, minOut: bigint) => ({
      user: USER,
      intentType: INTENT_TYPE_SWAP,
      nonce: 0n,
      expiry: 5_000n,
      params: encodeSwap(WETH, amountIn, USDC, minOut, USER),
    });

    it("fills what the inventory covers, at the margin asked, for the pairs named", function () {
      const rules = parseRules({ pairs: [{ tokenIn: WETH, tokenOut: USDC, price: "3000" }], minMarginBps: 100 }, {});
      expect(decide(swap(E18, 2_900n * E18), rules, market(10_000n * E18))).to.deep.equal({
        fill: true,
        token: USDC,
        amountOut: 2_900n * E18,
      });
      expect(decide(swap(E18, 2_980n * E18), rules, market(10_000n * E18))).to.include({ fill: false });
      expect(decide(swap(E18, 2_900n * E18), rules, market(1_000n * E18))).to.deep.equal({
        fill: false,
        reason: "inventory too low",
      });
      const reversed = { ...swap(E18, E18), params: encodeSwap(USDC, E18, WETH, E18, USER) };
      expect(decide(reversed, rules, market(10n ** 30n))).to.deep.equal({
        fill: false,
        reason: "pair not in the rules",
      });
    });

    it("leaves intents that expire too soon or cost more gas than the ceiling", function () {
      const rules = parseRules({ maxGasPriceGwei: 2, minSecondsLeft: 120 }, {});
      const transfer = {
        user: USER,
        intentType: INTENT_TYPE_TRANSFER,
        nonce: 0n,
        expiry: 1_100n,
        params: encodeTransfer(USDC, E18, WETH),
      };
      expect(decide(transfer, rules, market(0n))).to.deep.equal({ fill: false, reason: "expires too soon" });
      expect(
        decide({ ...transfer, expiry: 2_000n }, rules, { ...market(0n), baseFeeWei: 3n * 10n ** 9n }),
      ).to.deep.equal({
        fill: false,
        reason: "gas price above the ceiling",
      });
      expect(decide({ ...transfer, expiry: 2_000n }, rules, market(0n))).to.include({ fill: true, amountOut: 0n });
    });

    it("refuses a rules file with unknown fields, bad values or unknown token symbols, naming each", function () {
      const problems = (raw: unknown) => {
        try {
          parseRules(raw, { WETH });
        } catch (error) {
          return (error as RulesError).problems;
        }
        return [];
      };
      expect(problems({ minMarginBps: -1 })[0]).to.match(/^minMarginBps: /);
      expect(problems({ pairs: [{ tokenIn: "$WETH", tokenOut: "$DAI" }] })[0]).to.match(
        /pairs\.0\.tokenOut: \$DAI is not a mock token/,
      );
      expect(problems({ slippage: 1 })[0]).to.match(/Unrecognized key/);
      expect(problems({ pairs: [{ tokenIn: "$WETH", tokenOut: USDC }] })).to.deep.equal([]);
    });
  });
});
