// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RateLimit} from "./RateLimit.sol";

/**
 * @notice The verifier's configuration slot, read whole: paused (8, OpenZeppelin's
 * `Pausable._paused`) | global bucket (88, bit 8) | global limit (24, bit 96) | global window
 * (24, bit 120) | user limit (24, bit 144) | user window (24, bit 168) | max TTL (32, bit 192) |
 * claim window (16, bit 224) | type flags (16, bit 240: bit t says type t is enabled, bit 8 + t
 * that a pluggable validator is set).
 * @dev The fields are declared in the verifier as Solidity state variables after `Pausable`'s,
 * so the compiler packs them into this one slot and the admin setters write them as fields; the
 * hot paths read the slot once as a {ConfigWord} and write only the global bucket back.
 * test/mocha/verifier/views.test.ts pins the layout.
 */
type ConfigWord is uint256;

using ConfigWordLibrary for ConfigWord global;

/// @title ConfigWordLibrary
/// @notice Reads of a {ConfigWord}, and the one transition the hot paths make.
library ConfigWordLibrary {
    uint256 private constant BUCKET_SHIFT = 8;
    uint256 private constant GLOBAL_LIMIT_SHIFT = 96;
    uint256 private constant GLOBAL_WINDOW_SHIFT = 120;
    uint256 private constant USER_LIMIT_SHIFT = 144;
    uint256 private constant USER_WINDOW_SHIFT = 168;
    uint256 private constant MAX_TTL_SHIFT = 192;
    uint256 private constant CLAIM_TTL_SHIFT = 224;
    uint256 private constant TYPE_FLAGS_SHIFT = 240;
    uint256 private constant MASK_8 = 0xff;
    uint256 private constant MASK_16 = 0xffff;
    uint256 private constant MASK_24 = 0xffffff;
    uint256 private constant MASK_32 = 0xffffffff;

    function paused(ConfigWord config) internal pure returns (bool) {
        return ConfigWord.unwrap(config) & MASK_8 != 0;
    }

    function userLimit(ConfigWord config) internal pure returns (uint256) {
        return (ConfigWord.unwrap(config) >> USER_LIMIT_SHIFT) & MASK_24;
    }

    function userWindow(ConfigWord config) internal pure returns (uint256) {
        return (ConfigWord.unwrap(config) >> USER_WINDOW_SHIFT) & MASK_24;
    }

    /// @notice The longest an intent may live, in seconds.
    function maxTtl(ConfigWord config) internal pure returns (uint256) {
        return (ConfigWord.unwrap(config) >> MAX_TTL_SHIFT) & MASK_32;
    }

    /// @notice How long a claim holds an intent, in seconds.
    function claimTtl(ConfigWord config) internal pure returns (uint256) {
        return (ConfigWord.unwrap(config) >> CLAIM_TTL_SHIFT) & MASK_16;
    }

    /// @notice The type flags: bit t says intent type t is enabled, bit 8 + t that it has a
    /// pluggable validator.
    function typeFlags(ConfigWord config) internal pure returns (uint256) {
        return ConfigWord.unwrap(config) >> TYPE_FLAGS_SHIFT;
    }

    /// @notice The word with one action taken from the global bucket (reverts when it is
    /// empty). Only for an unpaused word: the low byte comes back zero.
    function globalConsumed(ConfigWord config, bytes32 bucketId) internal view returns (ConfigWord) {
        uint256 word = ConfigWord.unwrap(config);
        // The bucket is the low 88 bits of `word >> 8`; consume keeps the bits above it.
        uint256 shifted = RateLimit.consume(
            word >> BUCKET_SHIFT,
            (word >> GLOBAL_LIMIT_SHIFT) & MASK_24,
            (word >> GLOBAL_WINDOW_SHIFT) & MASK_24,
            bucketId
        );
        return ConfigWord.wrap(shifted << BUCKET_SHIFT);
    }
}
