// The parity suite of the intake checks: the intake checks off-chain (service/intake/rules.ts, on the state service/intake/state.ts
// reads) against the verifier itself: generated intents, valid and invalid in every field, each
// judged off-chain and simulated with eth_call of submitWithSignature at the same block. The
// verdict must be the simulation's revert data byte for byte (or both accept), and the intents
// both accept are then relayed for real and must not revert.
import { expect } from "chai";
import {
  HDNodeWallet,
  concat,
  Mnemonic,
  Signature,
  SigningKey,
  TypedDataEncoder,
  getAddress,
  toBeHex,
  zeroPadValue,
} from "ethers";

import { INTENT_EIP712_TYPES, encodeSwap, encodeTransfer } from "../../../lib/domain/intents.js";
import { TEST_MNEMONIC } from "../../../scripts/lib/local-chain.js";
import { httpJsonRpc, type JsonRpcClient } from "../../../service/chain-reader.js";
import {
  type IntakeInput,
  type IntakeState,
  VERIFIER_INTERFACE,
  checkIntake,
  recoverSigner,
} from "../../../service/intake/rules.js";
import { intakeStateReader } from "../../../service/intake/state.js";
import { type ChainWithSystem, chainWithSystem } from "./harness.js";

const E18 = 10n ** 18n;
const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A small seeded generator (mulberry32): the same intents every run. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] };
}

function wallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(TEST_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

/** The other signature of the same signer (s' = n - s, v flipped), which ecrecover also accepts. */
export function malleated(sig: Signature): string {
  return concat([sig.r, zeroPadValue(toBeHex(ORDER - BigInt(sig.s)), 32), sig.v === 27 ? "0x1c" : "0x1b"]);
}

interface Sample {
  input: IntakeInput;
  note: string;
}

/** The parity suite on `SAMPLES` intents: 2,000 in the fast tier, 10,000 in the e2e tier. */
export function describeIntakeParity(SAMPLES: number): void {
  describe(`service intake checks off-chain, against the verifier's own simulation (${SAMPLES.toLocaleString("en")} intents)`, function () {
    this.timeout(600_000);
    let c: ChainWithSystem;
    let rpc: JsonRpcClient;

    before(async function () {
      c = await chainWithSystem();
      rpc = httpJsonRpc(c.chain.url, { maxBatch: 200 });
    });
    after(async function () {
      await rpc?.close();
      await c?.stop();
    });

    it(`agrees with the simulation, reason for reason, on ${SAMPLES.toLocaleString("en")} generated intents; the accepted ones relay without a revert`, async function () {
      const { f } = c;
      const verifier = f.verifier;
      const stk = await f.stakeToken.getAddress();
      const weth = await f.weth.getAddress();
      const usdc = await f.usdc.getAddress();
      // Users in every state the checks read: fresh, blocked, nonces skipped, nonces retired, rate-limited.
      const [fresh, blocked, skipped, retired, limited] = [10, 11, 12, 13, 14].map(wallet);
      const stranger = wallet(15);
      const fund = async (address: string) => (await f.admin.sendTransaction({ to: address, value: E18 })).wait();
      for (const w of [fresh, blocked, skipped, retired, limited]) await fund(w.address);
      const as = (w: HDNodeWallet) => w.connect(c.provider);
      await (await verifier.setUserBlocked(blocked.address, true)).wait();
      await (await verifier.connect(as(skipped)).invalidateNonces(7)).wait();
      await (await verifier.connect(as(retired)).invalidateNonces(2n ** 64n - 1n)).wait();
      await (await verifier.setUserRateLimit(1, 3600)).wait();
      await (await verifier.setRateLimitExempt(f.otherSolver.address, true)).wait();
      // A tight policy, so that amounts fall below and above it.
      await (await verifier.setTokenPolicy(1, weth, true, 10n, 1_000n * E18)).wait();
      const now = BigInt(
        ((await rpc.send("eth_getBlockByNumber", ["latest", false])) as { timestamp: string }).timestamp,
      );
      const chainId = (await c.provider.getNetwork()).chainId;
      const domain = { name: "IntentKit", version: "1", chainId, verifyingContract: f.verifierAddress };

      const users = [fresh, blocked, skipped, retired, limited];
      // The rate-limited user spends its one intent of the hour.
      {
        const intent = {
          user: limited.address,
          intentType: 1,
          nonce: 0n,
          expiry: now + 3600n,
          params: encodeTransfer(usdc, E18, f.recipient.address),
        };
        await (await verifier.connect(as(limited)).submit(intent)).wait();
      }
      const nonces = new Map<string, bigint>();
      for (const w of users) nonces.set(w.address, await verifier.nextNonce(w.address));
      // The block both sides judge at (ethers' provider caches the head; ask the node).
      const latest = (await rpc.send("eth_getBlockByNumber", ["latest", false])) as {
        number: string;
        timestamp: string;
      };
      const at = BigInt(latest.number);
      const head = BigInt(latest.timestamp);
      const [maxTtl] = await verifier.timings();

      const g = random(20261206);
      const callers = { relayer: f.relayer.address, user: "", "exempt relayer": f.otherSolver.address };
      const samples: Sample[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const user = g.pick([fresh, fresh, fresh, skipped, skipped, blocked, retired, limited, limited]);
        const expected = nonces.get(user.address)!;
        const intentType = g.pick([1, 1, 1, 2, 2, 2, 0, 3, 7, 8, 255]);
        const token = g.pick([usdc, usdc, weth, stk, "0x" + "00".repeat(20), getAddress("0x" + "be".repeat(20))]);
        const recipient = g.pick([f.recipient.address, f.recipient.address, user.address, "0x" + "00".repeat(20)]);
        const amount = g.pick([1n, 5n, 100n * E18, 0n, 2_000n * E18, 2n ** 200n]);
        let params =
          intentType === 2
            ? encodeSwap(
                g.pick([weth, usdc, stk, "0x" + "00".repeat(20)]),
                g.pick([E18, E18, 0n, 5n, 2_000n * E18]),
                g.pick([usdc, usdc, weth, stk, "0x" + "00".repeat(20)]),
                g.pick([3_000n * E18, 3_000n * E18, 0n]),
                recipient,
              )
            : encodeTransfer(token, amount, recipient);
        const mutation = g.pick([
          "none",
          "none",
          "none",
          "none",
          "none",
          "none",
          "none",
          "none",
          "shorter",
          "longer",
          "wide address",
        ]);
        if (mutation === "shorter") params = params.slice(0, -2);
        if (mutation === "longer") params = params + "00".repeat(32);
        if (mutation === "wide address") params = "0x01" + params.slice(4);
        const nonce = g.pick([
          expected,
          expected,
          expected,
          (expected + 1n) % 2n ** 64n,
          expected > 0n ? expected - 1n : 3n,
          2n ** 64n - 1n,
        ]);
        const expiry = g.pick([
          head,
          head + 1n,
          head + 3_600n,
          head + 3_600n,
          head + 600n,
          head - 100n,
          1n,
          head + maxTtl - 120n,
          head + maxTtl + 120n,
          2n ** 40n - 1n,
        ]);
        const intent = { user: user.address, intentType, nonce, expiry, params };
        const id = TypedDataEncoder.hash(domain, INTENT_EIP712_TYPES, intent);
        const signed = user.signingKey.sign(id);
        const signatureKind = g.pick([
          "valid",
          "valid",
          "valid",
          "valid",
          "valid",
          "valid",
          "empty",
          "other signer",
          "high s",
          "v 0",
          "64 bytes",
          "junk",
        ]);
        const signature = {
          valid: signed.serialized,
          empty: "0x",
          "other signer": stranger.signingKey.sign(id).serialized,
          "high s": malleated(signed),
          "v 0": signed.r + signed.s.slice(2) + "00",
          "64 bytes": signed.compactSerialized,
          junk: "0x" + "ab".repeat(65),
        }[signatureKind]!;
        const callerKind = g.pick(Object.keys(callers) as (keyof typeof callers)[]);
        const caller = callerKind === "user" ? user.address : callers[callerKind];
        samples.push({
          input: { intent, signature, caller, id },
          note: `type ${intentType}, ${mutation}, nonce ${nonce - expected >= 0n ? "+" : ""}${nonce - expected}, expiry ${expiry - head} s, ${signatureKind} signature, caller ${callerKind}`,
        });
      }

      // Off-chain: the state each intent reads, at the block of the simulation.
      const reader = intakeStateReader(rpc, f.verifierAddress);
      const states = new Map<string, Promise<IntakeState>>();
      const stateOf = (input: IntakeInput) => {
        // The reads depend on the user, the caller, the type and the params' tokens, not on the rest.
        const key = `${input.intent.user}|${input.caller}|${input.intent.intentType}|${input.intent.params}`;
        if (!states.has(key)) states.set(key, reader.read(input, at));
        return states.get(key)!;
      };
      const verdicts = await Promise.all(samples.map(async (s) => checkIntake(s.input, await stateOf(s.input))));

      // On chain: the same call, simulated at the same block.
      const simulated = await Promise.all(
        samples.map(({ input }) =>
          rpc
            .send("eth_call", [
              {
                from: input.caller,
                to: f.verifierAddress,
                data: VERIFIER_INTERFACE.encodeFunctionData("submitWithSignature", [input.intent, input.signature]),
              },
              toBeHex(at),
            ])
            .then(
              () => "accepted",
              (error: Error & { data?: unknown }) =>
                typeof error.data === "string" ? error.data : `no data: ${error.message}`,
            ),
        ),
      );

      const disagreements = samples
        .map((s, i) => ({
          s,
          off: verdicts[i].ok ? "accepted" : (verdicts[i] as { revertData: string }).revertData,
          on: simulated[i],
          verdict: verdicts[i],
        }))
        .filter(({ off, on }) => off !== on);
      expect(
        disagreements
          .slice(0, 5)
          .map(
            ({ s, off, on, verdict }) =>
              `${s.note}: off-chain ${off} (${verdict.ok ? "" : verdict.error}), on-chain ${on}`,
          ),
        `${disagreements.length} of ${samples.length} disagree`,
      ).to.deep.equal([]);

      // Every kind of verdict came up: the generator reaches each check.
      const reasons = new Set(verdicts.map((v) => (v.ok ? "accepted" : v.error)));
      expect([...reasons], [...reasons].join(", ")).to.include.members([
        "accepted",
        "UnknownIntentType",
        "ExpiryInPast",
        "ExpiryTooFar",
        "MalformedParams",
        "revert without data",
        "ZeroAddressParam",
        "ZeroAmountParam",
        "SameToken",
        "RecipientIsUser",
        "NotIntentUser",
        "InvalidSignature",
        "UserBlocked",
        "InvalidNonce",
        "TokenNotAllowed",
        "AmountOutOfBounds",
        "RateLimited",
      ]);

      // The accepted intents relay: one a user (they share its next nonce), each sent for real.
      const relayed = new Set<string>();
      for (const [i, s] of samples.entries()) {
        // An intent accepted at the judged block may expire before a later block mines its relay.
        if (!verdicts[i].ok || relayed.has(s.input.intent.user) || s.input.intent.expiry < head + 60n) continue;
        relayed.add(s.input.intent.user);
        const signer =
          s.input.caller === f.relayer.address
            ? f.relayer
            : s.input.caller === f.otherSolver.address
              ? f.otherSolver
              : as(users.find((u) => u.address === s.input.intent.user)!);
        const receipt = await (
          await verifier.connect(signer).submitWithSignature(s.input.intent, s.input.signature)
        ).wait();
        expect(receipt?.status, s.note).to.equal(1);
      }
      expect(relayed.size).to.be.greaterThan(0);
    });
  });
}
