// service resync: forgets what the store indexed for the deployment (after a reorg deeper than the
// window, or to rebuild it); the next `service start` indexes from the deployment's block again.
import { rm } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readDeploymentRecord, deploymentDir, resolveDeploymentId } from "../../../deploy/record.js";
import { taskAction } from "../../lib/action.js";
import { connect } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { print } from "../../lib/output.js";
import { StoreLockedError, lockFolder } from "../../../service/store/database.js";
import { chooseStore, openStore } from "./store.js";

interface ResyncArgs {
  databaseUrl?: string;
  deployment?: string;
}

const TABLES = [
  "chain_events",
  "intents",
  "intent_transactions",
  "solvers",
  "indexer_checkpoint",
  "indexed_blocks",
  "schema_migrations",
];

async function run(args: ResyncArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const { chainId, networkName } = await connect(hre);
  const id = resolveDeploymentId(args.deployment ?? "", chainId);
  if ((await readDeploymentRecord(deploymentDir(hre.config.paths.root, id))) === undefined) {
    throw new UserError(`no deployment "${id}" on network "${networkName}": nothing to resync`);
  }
  const choice = chooseStore(hre.config.paths.root, id, args.databaseUrl);
  if (choice.url === undefined) {
    let lock;
    try {
      lock = await lockFolder(choice.dataDir); // not while a service writes to it
    } catch (error) {
      if (error instanceof StoreLockedError) throw new UserError(error.message);
      throw error;
    }
    await rm(choice.dataDir, { recursive: true, force: true });
    await rm(lock, { force: true });
  } else {
    const db = await openStore(choice);
    try {
      try {
        await db.lockWriter(); // not while a service writes to it
      } catch (error) {
        if (error instanceof StoreLockedError) throw new UserError(error.message);
        throw error;
      }
      await db.exec(TABLES.map((table) => `DROP TABLE IF EXISTS ${table} CASCADE;`).join("\n"));
    } finally {
      await db.close();
    }
  }
  print(
    `dropped the indexed data of deployment "${id}" in ${choice.describe}; \`npx hardhat service start --network ${networkName}\` indexes it again`,
  );
}

export default taskAction(run);
