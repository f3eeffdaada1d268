// The rehearsal's deployer key. A rehearsal passes the same key gate as a real rollout, so its key
// must come from where a real one does: the keystore, or under CI (where Hardhat reads no
// keystore) the environment. The key is the first of the well-known test mnemonic's, which
// the spawned node funds and which guards nothing of value.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

import { isCi } from "@nomicfoundation/hardhat-utils/ci";

import { StageFailure } from "../errors.js";
import type { StageContext } from "../stage.js";
import { keyVariables, keystoreKeys } from "./keys.js";
import type { Target } from "./target.js";

export const REHEARSAL_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export async function provisionRehearsalKey(ctx: StageContext, target: Target): Promise<void> {
  const variables = keyVariables(ctx, target.network);
  if (typeof variables === "string") return; // the key gate says what is wrong
  const [name] = variables;
  // The same test as Hardhat's keystore plugin, which reads no keystore under CI.
  if (isCi()) {
    process.env[name] ??= REHEARSAL_DEPLOYER_KEY;
    return;
  }
  const devFile = ctx.hre.config.keystore.devFilePath;
  if ((await keystoreKeys(devFile)).includes(name)) return;
  ctx.progress(`rehearsal: storing the test mnemonic's first key as ${name} in the development keystore`);
  const require = createRequire(path.join(ctx.root, "package.json"));
  const cli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  try {
    execFileSync(process.execPath, [cli, "keystore", "set", "--dev", "--force", name], {
      cwd: ctx.root,
      input: `${REHEARSAL_DEPLOYER_KEY}\n`,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: 120_000,
    });
  } catch (error) {
    throw new StageFailure(
      `could not store the rehearsal key in the development keystore (${(error as Error).message.split("\n")[0]}); store it yourself: \`npx hardhat keystore set --dev ${name}\``,
    );
  }
}
