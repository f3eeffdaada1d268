// admin reinstate-solver: a suspended solver with at least the minimum bond is active again (GUARDIAN_ROLE).
import { taskAction } from "../../lib/action.js";
import { setSuspended, type SolverArgs } from "./common.js";

export default taskAction<SolverArgs>((args, hre) => setSuspended(args, hre, false));
