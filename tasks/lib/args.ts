// Argument syntax is domain (lib/domain/syntax.ts): deploy and the pipeline read the same values.
export {
  parseAddress,
  parseAmount,
  parseBytes32,
  parseChoice,
  parseDuration,
  parseInteger,
  parseOptionalAddress,
  requireValue,
} from "../../lib/domain/index.js";
