// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RateLimit} from "../../../contracts/libraries/RateLimit.sol";

/// @notice Exposes {RateLimit} over one bucket per key, stored the way the contracts store
/// theirs: one word per account, bucket in the low 88 bits, other bits left alone.
contract RateLimitHarness {
    uint256 public limit;
    uint256 public window;
    mapping(bytes32 key => uint256 word) public words;

    constructor(uint256 limit_, uint256 window_) {
        RateLimit.validate(limit_, window_);
        (limit, window) = (limit_, window_);
    }

    function setConfig(uint256 limit_, uint256 window_) external {
        RateLimit.validate(limit_, window_);
        (limit, window) = (limit_, window_);
    }

    /// @notice Admits one action on `key`'s bucket (reverts with RateLimited when empty).
    function consume(bytes32 key) external {
        words[key] = RateLimit.consume(words[key], limit, window, key);
    }

    /// @notice Like {consume}, returning the gas the check itself took: one SLOAD, the
    /// arithmetic and one SSTORE (the call and ABI overhead around it excluded).
    function consumeMeasured(bytes32 key) external returns (uint256 gasUsed) {
        uint256 limit_ = limit;
        uint256 window_ = window;
        uint256 start = gasleft();
        words[key] = RateLimit.consume(words[key], limit_, window_, key);
        gasUsed = start - gasleft();
    }

    /// @notice Tries {consume}; true when admitted.
    function tryConsume(bytes32 key) external returns (bool admitted) {
        try this.consume(key) {
            return true;
        } catch {
            return false;
        }
    }

    function setWord(bytes32 key, uint256 word) external {
        words[key] = word;
    }

    function status(bytes32 key) external view returns (uint256 remaining, uint256 retryAfter, uint256 fullIn) {
        return RateLimit.status(words[key], limit, window);
    }

    function used(bytes32 key) external view returns (uint256) {
        return words[key] & RateLimit.USED_MASK;
    }

    function capacity() external view returns (uint256) {
        return limit * window;
    }
}
