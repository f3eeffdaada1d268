// The bugs planted by the e2e suite specs-mutations.test.ts: each a text replacement in one
// production file, and the property the specs stage must then report violated. Kept apart so that
// the fast tier (test/mocha/planted-bugs.test.ts) checks every target text is still in its file
// once: a refactor that changes it must update the plant, and learns so in `npm test`.

export interface Mutation {
  what: string;
  file: string;
  from: string;
  to: string;
  component: string;
  /** The property the stage must report violated. */
  violates: string;
}

export const MUTATIONS: Mutation[] = [
  {
    what: "skip a state update: a slash leaves totalBonded as it was",
    file: "contracts/SolverRegistry.sol",
    from: "        totalBonded -= slashed;\n",
    to: "",
    component: "SolverRegistry",
    violates: "invariant_bondsBackedByStakeBalance",
  },
  {
    what: "mis-account a slash: it can take more than the bond",
    file: "contracts/SolverRegistry.sol",
    from: "        if (slashed > bond) slashed = bond;\n        bond -= slashed;\n",
    to: "        bond = slashed > bond ? 0 : bond - slashed;\n",
    component: "SolverRegistry",
    violates: "rule_slashNeverExceedsBond",
  },
  {
    what: "allow a second fulfill: fulfill no longer requires an Executing intent",
    file: "contracts/IntentVerifier.sol",
    from: "        if (status != IntentStatus.Executing) revert InvalidStatus(id, status);\n        address solver = record.solver();\n",
    to: "        address solver = record.solver();\n",
    component: "IntentVerifier",
    violates: "rule_fulfillRequiresExecuting",
  },
  {
    what: "skip the rate-limit write: the user's bucket is checked but not stored",
    file: "contracts/IntentVerifier.sol",
    from: "        word = RateLimit.consume(word, config.userLimit(), config.userWindow(), userBucketId(user));\n",
    to: "        word = RateLimit.consume(word, config.userLimit(), config.userWindow(), userBucketId(user)) & 0 | AccountWord.unwrap(account);\n",
    component: "IntentVerifier",
    violates: "invariant_userSubmissionsWithinTwiceLimitPerWindow",
  },
  {
    what: "drop a require: a full bucket admits one more action",
    file: "contracts/libraries/RateLimit.sol",
    from: "            if (next > capacity) revert RateLimited(bucket, (next - capacity + limit - 1) / limit);\n",
    to: "",
    component: "RateLimit",
    violates: "rule_admitNeverExceedsCapacity",
  },
  {
    what: "flip a comparison: draining refills a bucket that was already empty",
    file: "contracts/libraries/RateLimit.sol",
    from: "            return freed >= used ? 0 : used - freed;\n",
    to: "            return freed <= used ? 0 : used - freed;\n",
    component: "RateLimit",
    violates: "rule_drainNeverAddsUse",
  },
];
