// The intake checks' parity with the verifier (test/mocha/service/intake-parity.ts) on 10,000
// generated intents, the figure the issue asks for; the fast tier runs 2,000.
import { describeIntakeParity } from "../mocha/service/intake-parity.js";

describeIntakeParity(10_000);
