// chain:start: a local node in the foreground, stopped cleanly by Ctrl-C (or when this process dies).
import { startLocalChain, TEST_MNEMONIC, LocalChainError, type ChainEngine } from "../../../scripts/lib/local-chain.js";
import { taskAction } from "../../lib/action.js";
import { parseChoice, parseInteger } from "../../lib/args.js";
import { UserError } from "../../lib/errors.js";

interface StartArgs {
  engine: string;
  port: string;
  chainId: string;
  blockTime: string;
}

async function run(args: StartArgs): Promise<void> {
  const engine = parseChoice<ChainEngine>("engine", args.engine, ["anvil", "hardhat"]);
  const port = Number(parseInteger("port", args.port, { min: 1n, max: 65535n }));
  const chainId = Number(parseInteger("chain-id", args.chainId, { min: 1n, max: 2n ** 53n - 1n }));
  const blockTime =
    args.blockTime === "" ? undefined : Number(parseInteger("block-time", args.blockTime, { min: 1n, max: 3600n }));
  let chain;
  try {
    chain = await startLocalChain({ engine, port, chainId, blockTime });
  } catch (error) {
    if (error instanceof LocalChainError) throw new UserError(error.message);
    throw error;
  }
  process.stdout.write(
    `${engine} node listening on ${chain.url} (chain ${chainId}); accounts from the test mnemonic "${TEST_MNEMONIC}"\n` +
      `In another terminal: npx hardhat system:deploy --network localhost${port === 8545 ? "" : `  (with INTENTKIT_LOCALHOST_URL=${chain.url})`}\n` +
      "Ctrl-C stops it.\n",
  );
  await new Promise<void>((resolve) => {
    const stop = () => void chain.stop().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stdout.write("node stopped\n");
}

export default taskAction(run);
