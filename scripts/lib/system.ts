// Deploys and wires a whole intentkit system on an ethers connection: a stake token, the
// registry and the verifier, with the verifier authorised on the registry.
// Used by the bench and the contract tests, which need a fresh system per fixture; real
// deployments go through the Ignition module in deploy/ (`npx hardhat system:deploy`).
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { Signer } from "ethers";

export interface SystemOptions {
  minBond?: bigint;
  unbondingPeriod?: bigint;
  adminDelay?: bigint;
  /** Wire the registry to the deployed verifier (default). Tests that stand in for the
   * verifier pass false and wire their own address: the registry can be wired only once. */
  wireVerifier?: boolean;
}

export const DEFAULT_MIN_BOND = 1_000n * 10n ** 18n;
export const DEFAULT_UNBONDING_PERIOD = 7n * 24n * 3600n;

export async function deploySystem(ethers: HardhatEthers, admin: Signer, options: SystemOptions = {}) {
  const adminAddress = await admin.getAddress();
  const adminDelay = options.adminDelay ?? 3n * 24n * 3600n;
  const stakeToken = await ethers.deployContract("MockERC20", ["Stake", "STK"], admin);
  const registry = await ethers.deployContract(
    "SolverRegistry",
    [
      await stakeToken.getAddress(),
      adminAddress,
      adminDelay,
      options.minBond ?? DEFAULT_MIN_BOND,
      options.unbondingPeriod ?? DEFAULT_UNBONDING_PERIOD,
      adminAddress,
    ],
    admin,
  );
  const verifier = await ethers.deployContract(
    "IntentVerifier",
    [await registry.getAddress(), adminAddress, adminDelay],
    admin,
  );
  if (options.wireVerifier ?? true) await (await registry.setVerifier(await verifier.getAddress())).wait();

  return { stakeToken, registry, verifier };
}

export type DeployedSystem = Awaited<ReturnType<typeof deploySystem>>;
