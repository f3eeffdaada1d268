// keeper run: the keeper in the foreground until Ctrl-C (see tasks/lib/bot.ts).
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { taskAction } from "../../lib/action.js";
import { type BotArgs, runBot } from "../../lib/bot.js";

export default taskAction((args: BotArgs, hre: HardhatRuntimeEnvironment) => runBot("keeper", args, hre));
