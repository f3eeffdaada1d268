// system deploy: validates the network's parameters file, deploys and wires the system with the
// Ignition module (deploy/deploy-system.ts), and writes the deployment record. Resumable:
// Ignition's journal in ignition/deployments/<id>/ lets a deployment that died midway continue
// without deploying any contract twice, and re-running a completed deployment sends nothing.
import path from "node:path";

import { PrettyEventHandler } from "@nomicfoundation/hardhat-ignition/helpers";
import { isHexString } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { defaultParametersFile, loadDeploymentConfig } from "../../../deploy/config.js";
import { deploySystem } from "../../../deploy/deploy-system.js";
import { lineProgress } from "../../../deploy/progress.js";
import { deploymentDir, resolveDeploymentId } from "../../../deploy/record.js";
import { taskAction } from "../../lib/action.js";
import { connect } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { emit, printError, rowsTable } from "../../lib/output.js";

export { defaultCreate2Salt } from "../../../deploy/deploy-system.js";

interface DeployArgs {
  parameters: string;
  deployment: string;
  create2: boolean;
  salt: string;
  reset: boolean;
  json: boolean;
}

async function run(args: DeployArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  if (args.salt !== "" && !isHexString(args.salt, 32))
    throw new UserError(`--salt must be 32 bytes of hex (0x + 64 digits)`);
  if (args.salt !== "" && !args.create2) throw new UserError("--salt only applies with --create2");

  const { connection, networkName, chainId } = await connect(hre);
  const parametersFile =
    args.parameters === "" ? defaultParametersFile(hre.config.paths.root, networkName) : path.resolve(args.parameters);
  const config = await loadDeploymentConfig(parametersFile);
  const ephemeral = connection.networkConfig.type === "edr-simulated";
  const deploymentId = resolveDeploymentId(args.deployment, chainId);
  if (!/^[A-Za-z0-9_-]+$/.test(deploymentId)) throw new UserError(`--deployment may use letters, digits, - and _ only`);
  const dir = ephemeral ? undefined : deploymentDir(hre.config.paths.root, deploymentId);

  const { record, recordFile } = await deploySystem({
    hre,
    connection,
    chainId,
    config,
    parametersFile: path.relative(hre.config.paths.root, parametersFile),
    deploymentId,
    dir,
    reset: args.reset,
    create2: args.create2,
    salt: args.salt,
    // Ignition's live display for a person at a terminal; plain lines (on stderr) otherwise.
    listener:
      process.stdout.isTTY && process.env.CI !== "true" && !args.json
        ? new PrettyEventHandler(hre.interruptions)
        : lineProgress((line) => printError(line)),
    log: (line) => printError(line),
    beforeDeploy: () => hre.tasks.getTask("build").run({ quiet: true, noTests: true }),
  });

  emit(args.json, { ...record, recordFile: recordFile ?? null }, () => {
    const rows = Object.entries(record.contracts).map(([name, c]) => ({
      contract: name,
      address: c.address,
      block: c.blockNumber,
      transaction: c.transactionHash,
    }));
    const where = recordFile
      ? `record: ${path.relative(process.cwd(), recordFile)}`
      : "embedded network: nothing recorded (it vanishes with this process); deploy to a running node with --network localhost";
    return `${rowsTable(rows)}deployment "${deploymentId}" on ${networkName} (chain ${chainId}), ${record.strategy} strategy; ${where}\n`;
  });
}

export default taskAction(run);
