// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Outcome} from "../contracts/libraries/Outcome.sol";

/**
 * @title OutcomeSpec
 * @notice Properties of {Outcome}, the arithmetic both settlement modes judge a delivery with,
 * checked by solc's SMTChecker (CHC engine). Every `rule_*` function states: for all arguments
 * satisfying the `require`s at its top, the library call it makes returns a value for which its
 * `assert`s hold.
 */
contract OutcomeSpec {
    /// @notice What counts as received never exceeds what was sent: a rebase that the transfer
    /// triggers cannot make a delivery count for more than it was.
    function rule_receivedNeverExceedsSent(uint256 before, uint256 after_, uint256 sent) external pure {
        assert(Outcome.received(before, after_, sent) <= sent);
    }

    /// @notice What counts as received never exceeds the recipient's balance gain, and a balance
    /// that fell counts as nothing received: a fee-on-transfer or hostile token cannot pass for a
    /// delivery.
    function rule_receivedNeverExceedsGain(uint256 before, uint256 after_, uint256 sent) external pure {
        uint256 r = Outcome.received(before, after_, sent);
        if (after_ <= before) assert(r == 0);
        else assert(r <= after_ - before);
    }

    /// @notice A plain transfer that moves exactly what was sent counts in full: the fill mode
    /// pays the recipient at least the minimum whenever it accepts, and accepts an honest delivery.
    function rule_exactDeliveryCountsInFull(uint256 before, uint256 sent) external pure {
        require(sent <= type(uint256).max - before);
        assert(Outcome.received(before, before + sent, sent) == sent);
    }

    /// @notice A fulfilment within its claim window scores between 5,000 and 10,000 basis points,
    /// 10,000 at the claim's first second and 5,000 at its deadline.
    function rule_latencyScoreWithinBounds(uint256 deadline, uint256 now_, uint256 window) external pure {
        require(window >= 1 && window <= type(uint16).max);
        require(now_ <= deadline && deadline - now_ <= window);
        uint256 score = Outcome.latencyScore(deadline, now_, window);
        assert(score >= 5_000 && score <= 10_000);
        if (now_ == deadline) assert(score == 5_000);
        if (deadline - now_ == window) assert(score == 10_000);
    }
}
