// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title Outcome
 * @notice The arithmetic that judges a settlement: what a recipient received, and how promptly a
 * claim was fulfilled. Pure, so that the SMTChecker proves it (specs/Outcome.spec.sol).
 */
library Outcome {
    /// @dev Half of 10,000 basis points, the floor of a fulfilment's latency score.
    uint256 internal constant HALF_BPS = 5_000;

    /// @notice What the recipient received: its balance gain (0 when its balance fell, a hostile
    /// token), never more than what was sent to it.
    function received(uint256 balanceBefore, uint256 balanceAfter, uint256 sent) internal pure returns (uint256 r) {
        r = balanceAfter > balanceBefore ? balanceAfter - balanceBefore : 0;
        if (r > sent) r = sent;
    }

    /// @notice 10,000 basis points for a fulfilment the instant the claim was made, 5,000 for one at
    /// the deadline, linear in between, over the claim's own `window` (deadline minus claim time).
    /// @dev Callers guarantee `now_ <= deadline` and `deadline - now_ <= window`, `window >= 1`.
    function latencyScore(uint256 deadline, uint256 now_, uint256 window) internal pure returns (uint256) {
        return HALF_BPS + (HALF_BPS * (deadline - now_)) / window;
    }
}
