// Views and constants of IntentVerifier: the EIP-712 domain and digest, bucket ids, records of
// unknown intents and the configuration getters.
import { expect } from "chai";
import { AbiCoder, TypedDataEncoder, ZeroAddress, keccak256, toUtf8Bytes, zeroPadValue } from "ethers";
import { network } from "hardhat";

import { INTENT_EIP712_TYPES, IntentStatus, type Intent } from "../../../scripts/lib/intents.js";
import { DEFAULTS, INTENT_TYPE_SWAP, INTENT_TYPE_TRANSFER, ROLES, type System, loadSystem } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("IntentVerifier views", function () {
  let f: System;

  beforeEach(async function () {
    f = await loadSystem(networkHelpers, ethers);
  });

  function domain() {
    return {
      name: "IntentKit",
      version: "1",
      chainId: f.chainId,
      verifyingContract: f.verifierAddress,
    };
  }

  describe("EIP-712", function () {
    it("domainSeparator is the hash of {IntentKit, 1, this chain, this verifier}", async function () {
      expect(await f.verifier.domainSeparator()).to.equal(TypedDataEncoder.hashDomain(domain()));
    });

    it("eip712Domain reports the same domain", async function () {
      const d = await f.verifier.eip712Domain();
      expect(d.name).to.equal("IntentKit");
      expect(d.version).to.equal("1");
      expect(d.chainId).to.equal(f.chainId);
      expect(d.verifyingContract).to.equal(f.verifierAddress);
    });

    it("INTENT_TYPEHASH matches the struct the off-chain code signs", async function () {
      const typeString = TypedDataEncoder.from(INTENT_EIP712_TYPES).encodeType("Intent");
      expect(typeString).to.equal("Intent(address user,uint8 intentType,uint64 nonce,uint40 expiry,bytes params)");
      expect(await f.verifier.INTENT_TYPEHASH()).to.equal(keccak256(toUtf8Bytes(typeString)));
    });

    it("hashIntent equals the EIP-712 digest of transfer and swap intents", async function () {
      for (const intent of [await f.transferIntent(), await f.swapIntent()]) {
        expect(await f.verifier.hashIntent(intent)).to.equal(
          TypedDataEncoder.hash(domain(), INTENT_EIP712_TYPES, intent),
        );
      }
    });

    it("hashIntent is the digest over the struct hash with params hashed as bytes", async function () {
      const intent = await f.transferIntent();
      const structHash = keccak256(
        AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "address", "uint8", "uint64", "uint40", "bytes32"],
          [
            await f.verifier.INTENT_TYPEHASH(),
            intent.user,
            intent.intentType,
            intent.nonce,
            intent.expiry,
            keccak256(intent.params),
          ],
        ),
      );
      const digest = keccak256("0x1901" + (await f.verifier.domainSeparator()).slice(2) + structHash.slice(2));
      expect(await f.verifier.hashIntent(intent)).to.equal(digest);
    });

    it("hashIntent changes with every field", async function () {
      const base = await f.transferIntent();
      const variants: Intent[] = [
        { ...base, user: f.stranger.address },
        { ...base, intentType: INTENT_TYPE_SWAP },
        { ...base, nonce: base.nonce + 1n },
        { ...base, expiry: base.expiry + 1n },
        { ...base, params: base.params.slice(0, -2) + "ff" },
      ];
      const ids = new Set([await f.verifier.hashIntent(base)]);
      for (const variant of variants) ids.add(await f.verifier.hashIntent(variant));
      expect(ids.size).to.equal(variants.length + 1);
    });
  });

  describe("constants and ids", function () {
    it("exposes the roles, the cross-chain reference cap and the registry", async function () {
      expect(await f.verifier.GUARDIAN_ROLE()).to.equal(ROLES.GUARDIAN);
      expect(await f.verifier.VALIDATOR_ADMIN_ROLE()).to.equal(ROLES.VALIDATOR_ADMIN);
      expect(await f.verifier.POLICY_ADMIN_ROLE()).to.equal(ROLES.POLICY_ADMIN);
      expect(await f.verifier.RATE_LIMIT_ADMIN_ROLE()).to.equal(ROLES.RATE_LIMIT_ADMIN);
      expect(await f.verifier.DEFAULT_ADMIN_ROLE()).to.equal(ROLES.DEFAULT_ADMIN);
      expect(await f.verifier.MAX_CROSS_CHAIN_REFS()).to.equal(4n);
      expect(await f.verifier.registry()).to.equal(f.registryAddress);
    });

    it("globalBucketId is keccak256 of its label; userBucketId is the padded address", async function () {
      expect(await f.verifier.globalBucketId()).to.equal(keccak256(toUtf8Bytes("intentkit.ratelimit.global")));
      expect(await f.verifier.userBucketId(f.user.address)).to.equal(zeroPadValue(f.user.address, 32).toLowerCase());
    });
  });

  describe("records and accounts", function () {
    it("getIntent and statusOf of an unknown id are empty", async function () {
      const id = ethers.id("nothing");
      const record = await f.verifier.getIntent(id);
      expect([record.status, record.intentType, record.expiry, record.claimDeadline, record.claimedAt]).to.deep.equal([
        IntentStatus.None,
        0n,
        0n,
        0n,
        0n,
      ]);
      expect(record.requeued).to.equal(false);
      expect(record.solver).to.equal(ZeroAddress);
      expect(await f.verifier.statusOf(id)).to.equal(IntentStatus.None);
    });

    it("a fresh account has nonce 0, is neither blocked nor exempt", async function () {
      expect(await f.verifier.nextNonce(f.stranger.address)).to.equal(0n);
      expect(await f.verifier.isBlocked(f.stranger.address)).to.equal(false);
      expect(await f.verifier.isRateLimitExempt(f.stranger.address)).to.equal(false);
    });
  });

  describe("storage layout", function () {
    // The hot path relies on the configuration sharing OpenZeppelin Pausable's slot (see the
    // contract). Slot 6 is where solc put it with OpenZeppelin 5.7; an upgrade that moves it
    // would silently cost every submission a cold SLOAD, so this pins the layout.
    const HOT_SLOT = 6;
    const field = (word: bigint, shift: bigint, bits: bigint) => (word >> shift) & ((1n << bits) - 1n);
    async function hotWord(): Promise<bigint> {
      return BigInt(await ethers.provider.getStorage(f.verifierAddress, HOT_SLOT));
    }

    it("packs paused, the global bucket, both limits, the timings and the type flags in one slot", async function () {
      await f.verifier.setGlobalRateLimit(123, 45);
      await f.verifier.setUserRateLimit(67, 890);
      await f.verifier.setTimings(5_000, 600);
      await f.submitted(await f.transferIntent());
      const word = await hotWord();
      expect(field(word, 0n, 8n)).to.equal(0n); // paused
      expect(field(word, 8n, 48n)).to.equal(45n); // global bucket: one action's worth of units used
      expect(field(word, 56n, 40n)).to.equal(await f.latest()); // global bucket: updated at
      expect(field(word, 96n, 24n)).to.equal(123n);
      expect(field(word, 120n, 24n)).to.equal(45n);
      expect(field(word, 144n, 24n)).to.equal(67n);
      expect(field(word, 168n, 24n)).to.equal(890n);
      expect(field(word, 192n, 32n)).to.equal(5_000n);
      expect(field(word, 224n, 16n)).to.equal(600n);
      expect(field(word, 240n, 16n)).to.equal((1n << BigInt(INTENT_TYPE_TRANSFER)) | (1n << BigInt(INTENT_TYPE_SWAP)));
      await f.verifier.pause();
      expect(field(await hotWord(), 0n, 8n)).to.equal(1n);
    });
  });

  describe("configuration", function () {
    it("reports the default limits and timings", async function () {
      expect(await f.verifier.rateLimits()).to.deep.equal([
        DEFAULTS.globalLimit,
        DEFAULTS.globalWindow,
        DEFAULTS.userLimit,
        DEFAULTS.userWindow,
      ]);
      expect(await f.verifier.timings()).to.deep.equal([DEFAULTS.maxTtl, DEFAULTS.claimTtl]);
    });

    it("enables exactly the shipped types", async function () {
      for (const intentType of [0, 1, 2, 3, 7, 8, 9, 10, 255]) {
        const shipped = intentType === INTENT_TYPE_TRANSFER || intentType === INTENT_TYPE_SWAP;
        expect(await f.verifier.isIntentTypeEnabled(intentType)).to.equal(shipped, `type ${intentType}`);
      }
    });

    it("has no validators plugged and no policy for an unknown token", async function () {
      expect(await f.verifier.validatorOf(INTENT_TYPE_TRANSFER)).to.equal(ZeroAddress);
      expect(await f.verifier.validatorOf(INTENT_TYPE_SWAP)).to.equal(ZeroAddress);
      expect(await f.verifier.tokenPolicy(INTENT_TYPE_TRANSFER, f.stranger.address)).to.deep.equal([false, 0n, 0n]);
    });

    it("reports the fixture's token policies", async function () {
      expect(await f.verifier.tokenPolicy(INTENT_TYPE_SWAP, f.wethAddress)).to.deep.equal([
        true,
        1n,
        1_000n * 10n ** 18n,
      ]);
    });
  });
});
