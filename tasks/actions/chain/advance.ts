// chain advance: time travel on a local chain, to let intents expire and claims lapse.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { parseDuration } from "../../lib/args.js";
import { connect } from "../../lib/context.js";
import { UserError } from "../../lib/errors.js";
import { emit } from "../../lib/output.js";

async function run(args: { by: string; json: boolean }, hre: HardhatRuntimeEnvironment): Promise<void> {
  const seconds = parseDuration("by", args.by);
  const { connection, chainId, networkName } = await connect(hre);
  if (chainId !== 31337 && chainId !== 1337) {
    throw new UserError(`chain advance works on local chains only; network "${networkName}" is chain ${chainId}`);
  }
  await connection.provider.request({ method: "evm_increaseTime", params: [`0x${seconds.toString(16)}`] });
  await connection.provider.request({ method: "evm_mine", params: [] });
  const block = (await connection.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
    number: string;
    timestamp: string;
  };
  const timestamp = Number(block.timestamp);
  emit(
    args.json,
    { advancedBy: seconds, block: Number(block.number), timestamp },
    () => `advanced ${seconds} s; block ${Number(block.number)} at ${new Date(timestamp * 1000).toISOString()}`,
  );
}

export default taskAction(run);
