// chain start: a local node in the foreground, stopped cleanly by Ctrl-C (or when this process dies).
import { checkRange, parseChoice } from "../../../lib/domain/index.js";
import { startLocalChain, TEST_MNEMONIC, LocalChainError, type ChainEngine } from "../../../scripts/lib/local-chain.js";
import { taskAction } from "../../lib/action.js";
import { UserError } from "../../lib/errors.js";
import { print } from "../../lib/output.js";

interface StartArgs {
  engine: string;
  port: number;
  chainId: number;
  blockTime: number;
}

async function run(args: StartArgs): Promise<void> {
  const engine = parseChoice<ChainEngine>("engine", args.engine, ["anvil", "hardhat"]);
  const port = Number(checkRange("port", BigInt(args.port), 1n, 65535n));
  const chainId = Number(checkRange("chain-id", BigInt(args.chainId), 1n, 2n ** 53n - 1n));
  const blockTime =
    args.blockTime === 0 ? undefined : Number(checkRange("block-time", BigInt(args.blockTime), 1n, 3600n));
  let chain;
  try {
    chain = await startLocalChain({ engine, port, chainId, blockTime });
  } catch (error) {
    if (error instanceof LocalChainError) throw new UserError(error.message);
    throw error;
  }
  print(
    `${engine} node listening on ${chain.url} (chain ${chainId}); accounts from the test mnemonic "${TEST_MNEMONIC}"\n` +
      `In another terminal: npx hardhat system deploy --network localhost${port === 8545 ? "" : `  (with INTENTKIT_LOCALHOST_URL=${chain.url})`}\n` +
      "Ctrl-C stops it.",
  );
  await new Promise<void>((resolve) => {
    const stop = () => void chain.stop().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  print("node stopped");
}

export default taskAction(run);
