// The loop both bots run: a round, a pause, again until stopped. A round that fails is logged
// and the next one runs: the chain, not the last round, says what is left to do.
import { sleep } from "./retry.js";

export async function runRounds(options: {
  round: () => Promise<void>;
  stopping: () => boolean;
  pauseMs: number;
  log?: (line: string) => void;
}): Promise<void> {
  while (!options.stopping()) {
    try {
      await options.round();
    } catch (error) {
      if (options.stopping()) break;
      options.log?.(`round failed: ${(error as Error).message.split("\n")[0]}`);
    }
    if (!options.stopping()) await sleep(options.pauseMs);
  }
}
