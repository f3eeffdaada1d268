// admin pause: pauses the verifier, the registry or both (GUARDIAN_ROLE on each).
import { taskAction } from "../../lib/action.js";
import { setPaused, type TargetArgs } from "./common.js";

export default taskAction<TargetArgs>((args, hre) => setPaused(args, hre, true));
