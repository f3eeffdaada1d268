// Which store a service task uses: Postgres at --database-url or $DATABASE_URL, else the embedded
// PGlite folder of the deployment under .intentkit/service/.
import path from "node:path";

import { type Database, StoreLockedError, openDatabase, redact } from "../../../service/store/database.js";
import { UserError } from "../../lib/errors.js";

export interface StoreChoice {
  url?: string;
  dataDir: string;
  describe: string;
}

export function chooseStore(root: string, deploymentId: string, databaseUrl: string | undefined): StoreChoice {
  // The option's default is "" (Hardhat options have one), which means "not given": the variable counts then.
  const url = databaseUrl || process.env.DATABASE_URL;
  const dataDir = path.join(root, ".intentkit", "service", deploymentId);
  if (url !== undefined && url !== "") {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      const from = databaseUrl ? "--database-url" : "$DATABASE_URL";
      throw new UserError(`${from} must be a postgres:// URL, got "${redact(url)}"`);
    }
    return { url, dataDir, describe: `Postgres at ${redact(url)}` };
  }
  return { dataDir, describe: `the embedded store in ${path.relative(root, dataDir)}` };
}

export async function openStore(choice: StoreChoice): Promise<Database> {
  try {
    return await openDatabase({ url: choice.url, dataDir: choice.url === undefined ? choice.dataDir : undefined });
  } catch (error) {
    if (error instanceof StoreLockedError) throw new UserError(error.message);
    throw new UserError(`cannot open ${choice.describe}: ${(error as Error).message}`);
  }
}
