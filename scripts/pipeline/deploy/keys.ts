// Where a network's deployer key comes from: the configuration variables its Hardhat config names,
// and which of them a keystore file holds (key names are stored in plain text; no password needed).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";

import type { StageContext } from "../stage.js";

/** The configuration variables holding the network's keys, or why there are none. */
export function keyVariables(ctx: StageContext, network: string): string[] | string {
  const user = ctx.hre.userConfig.networks?.[network] as { accounts?: unknown } | undefined;
  const accounts = user?.accounts;
  if (accounts === undefined || accounts === "remote") {
    return `network "${network}" signs with the node's own accounts; give it accounts: [configVariable("INTENTKIT_DEPLOYER_KEY")] in hardhat.config.ts`;
  }
  if (!Array.isArray(accounts)) {
    return `network "${network}" derives its accounts from a mnemonic; give it accounts: [configVariable("INTENTKIT_DEPLOYER_KEY")]`;
  }
  const names: string[] = [];
  for (const account of accounts) {
    const variable = account as { _type?: string; name?: string };
    if (variable?._type !== "ConfigurationVariable" || typeof variable.name !== "string") {
      return `network "${network}" has a plaintext key in hardhat.config.ts; replace it with configVariable("INTENTKIT_DEPLOYER_KEY") and store the key with \`npx hardhat keystore set INTENTKIT_DEPLOYER_KEY\``;
    }
    names.push(variable.name);
  }
  return names.length > 0 ? names : `network "${network}" has no deployer key`;
}

export async function keystoreKeys(file: string): Promise<string[]> {
  if (!existsSync(file)) return [];
  try {
    const keystore = JSON.parse(await readFile(file, "utf8")) as { secrets?: Record<string, unknown> };
    return Object.keys(keystore.secrets ?? {});
  } catch {
    return [];
  }
}
