// Every bug the e2e suite plants (test/e2e/mutations.ts) still fits the code it plants into: its
// target text occurs exactly once in its file, and the planted text differs. The e2e run would
// find a stale plant only after minutes of other work.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { MUTATIONS } from "../e2e/mutations.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("planted bugs of the specs e2e suite", function () {
  for (const mutation of MUTATIONS) {
    it(`still fit their files: ${mutation.what}`, async function () {
      const text = await readFile(path.join(ROOT, mutation.file), "utf8");
      expect(text.split(mutation.from).length - 1, `occurrences of the target text in ${mutation.file}`).to.equal(1);
      expect(mutation.to).to.not.equal(mutation.from);
    });
  }
});
