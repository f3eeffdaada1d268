// What every operating task needs before it acts: a connection to the named network, the
// intentkit deployment recorded for that chain, contracts bound to the deployment's own ABIs
// (from Ignition's copy of the artifacts, so no local build is needed), and the acting signer.
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, Interface, getAddress, isAddress, type InterfaceAbi } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import type { IntentVerifier, MockERC20, SolverRegistry } from "../../types/ethers-contracts/index.js";
import {
  deploymentDir,
  resolveDeploymentId,
  readDeploymentRecord,
  type DeploymentRecord,
} from "../../deploy/record.js";
import { UserError, registerErrorAbis } from "./errors.js";

export interface Connected {
  hre: HardhatRuntimeEnvironment;
  connection: NetworkConnection;
  ethers: HardhatEthers;
  networkName: string;
  chainId: number;
}

export interface DeploymentContext extends Connected {
  record: DeploymentRecord;
  dir: string;
  verifier: IntentVerifier;
  registry: SolverRegistry;
  stakeToken: MockERC20;
  /** An ERC-20 (with the mock's `mint` where the token is a mock) at `address`. */
  token(address: string): MockERC20;
  /** The account a task acts as: `--from` (an address or an account index), default the first. */
  signer(from: string): Promise<HardhatEthersSigner>;
}

/** Connects to the network named by `--network` (the embedded network when none is named). */
export async function connect(hre: HardhatRuntimeEnvironment): Promise<Connected> {
  let connection;
  try {
    connection = await hre.network.getOrCreate();
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    const variable = /Configuration Variable "(\w+)" not found/.exec(message)?.[1];
    if (variable !== undefined) {
      throw new UserError(
        `network "${hre.globalOptions.network}" needs ${variable}: store it with \`npx hardhat keystore set ${variable}\` (or set the environment variable)`,
      );
    }
    throw new UserError(`cannot connect to the network: ${message}`);
  }
  let chainId: number;
  try {
    chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  } catch {
    throw new UserError(
      `cannot reach network "${connection.networkName}"; is its node running? (start a local one with \`npx hardhat chain start\`)`,
    );
  }
  return { hre, connection, ethers: connection.ethers, networkName: connection.networkName, chainId };
}

/** What tasks use of a token; `mint` exists on the mock tokens of local deployments only. */
const ERC20_ABI = [
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function mint(address to, uint256 amount)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidSpender(address spender)",
];

async function loadAbi(dir: string, futureId: string): Promise<InterfaceAbi> {
  const file = path.join(dir, "artifacts", `${futureId}.json`);
  try {
    return (JSON.parse(await readFile(file, "utf8")) as { abi: InterfaceAbi }).abi;
  } catch {
    throw new UserError(
      `the deployment's artifact ${file} is missing; redeploy with \`npx hardhat system deploy --reset\``,
    );
  }
}

/** Connects and loads the deployment `deploymentId` (default: the chain's), checking it is live. */
export async function openDeployment(hre: HardhatRuntimeEnvironment, deploymentId: string): Promise<DeploymentContext> {
  const connected = await connect(hre);
  const { ethers, networkName, chainId } = connected;
  const id = resolveDeploymentId(deploymentId, chainId);
  const dir = deploymentDir(hre.config.paths.root, id);
  const record = await readDeploymentRecord(dir);
  if (record === undefined) {
    throw new UserError(
      `intentkit is not deployed on network "${networkName}" (chain ${chainId}): no record for deployment "${id}"; deploy with \`npx hardhat system deploy --network ${networkName}\``,
    );
  }
  if (record.chainId !== chainId) {
    throw new UserError(
      `wrong network: deployment "${id}" is on chain ${record.chainId}, but network "${networkName}" is chain ${chainId}`,
    );
  }
  const verifierEntry = record.contracts.IntentVerifier;
  if ((await ethers.provider.getCode(verifierEntry.address)) === "0x") {
    throw new UserError(
      `no contract at ${verifierEntry.address} on network "${networkName}": deployment "${id}" belongs to an earlier chain (was the node restarted?); redeploy with \`npx hardhat system deploy --network ${networkName} --reset\``,
    );
  }

  const verifierAbi = await loadAbi(dir, verifierEntry.futureId);
  const registryAbi = await loadAbi(dir, record.contracts.SolverRegistry.futureId);
  const tokenAbi = ERC20_ABI;
  registerErrorAbis([new Interface(verifierAbi), new Interface(registryAbi), new Interface(tokenAbi)]);

  const provider = ethers.provider;
  const verifier = new Contract(verifierEntry.address, verifierAbi, provider) as unknown as IntentVerifier;
  const registry = new Contract(
    record.contracts.SolverRegistry.address,
    registryAbi,
    provider,
  ) as unknown as SolverRegistry;
  const token = (address: string) => new Contract(address, tokenAbi, provider) as unknown as MockERC20;

  async function signer(from: string): Promise<HardhatEthersSigner> {
    const accounts = await ethers.getSigners();
    if (accounts.length === 0) {
      throw new UserError(
        `network "${networkName}" has no accounts; set its key in the keystore (\`npx hardhat keystore set INTENTKIT_DEPLOYER_KEY\`)`,
      );
    }
    if (from === "") return accounts[0];
    if (/^\d+$/.test(from)) {
      const index = Number(from);
      if (index >= accounts.length) {
        throw new UserError(
          `--from ${from}: network "${networkName}" has ${accounts.length} account(s) (0 to ${accounts.length - 1})`,
        );
      }
      return accounts[index];
    }
    if (!isAddress(from)) throw new UserError(`--from: "${from}" is neither an address nor an account index`);
    const match = accounts.find((a) => a.address === getAddress(from));
    if (match === undefined) throw new UserError(`--from ${from}: this network has no key for that account`);
    return match;
  }

  return { ...connected, record, dir, verifier, registry, stakeToken: token(record.stakeToken), token, signer };
}
