// admin suspend-solver: an active solver takes no new claims until reinstated (GUARDIAN_ROLE).
import { taskAction } from "../../lib/action.js";
import { setSuspended, type SolverArgs } from "./common.js";

export default taskAction<SolverArgs>((args, hre) => setSuspended(args, hre, true));
