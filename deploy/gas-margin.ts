// Ignition sends each transaction with the node's exact gas estimate. Some of intentkit's cost
// more in a later second than in the one they were estimated in: a change of the bond terms that
// applies at once records its time, and rewriting a word with the same value is cheaper, so
// `setSlashing` mined one second after the registry's deployment costs 2,812 gas more than
// estimated in that same second (measured on EDR) and an exact estimate runs out of gas. This is
// what made local deployments fail now and then under load. The tasks' own transactions get the
// network's `gasMultiplier` from Hardhat; this gives Ignition's estimates the same margin.
import type { EIP1193Provider, RequestArguments } from "hardhat/types/providers";

/** `provider`, with every `eth_estimateGas` answer multiplied by `multiplier` (rounded down). */
export function withGasMargin(provider: EIP1193Provider, multiplier: number): EIP1193Provider {
  if (!(multiplier >= 1)) throw new RangeError(`gas multiplier must be at least 1, got ${multiplier}`);
  if (multiplier === 1) return provider;
  const perMille = BigInt(Math.round(multiplier * 1000));
  return new Proxy(provider, {
    get(target, property) {
      if (property === "request") {
        return async (args: RequestArguments) => {
          const result = await target.request(args);
          if (args.method !== "eth_estimateGas" || typeof result !== "string") return result;
          return `0x${((BigInt(result) * perMille) / 1000n).toString(16)}`;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
