// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A solver's bond: amount (128) | unbondingEnds (40, bit 128; 0 until an exit is announced).
type BondWord is uint256;

using BondWordLibrary for BondWord global;

/// @title BondWordLibrary
/// @notice Reads and transitions of a {BondWord}.
library BondWordLibrary {
    /// @notice A bond of `amount_` (below 2^128, checked by the caller), no exit announced.
    function fromAmount(uint256 amount_) internal pure returns (BondWord) {
        return BondWord.wrap(amount_);
    }

    function amount(BondWord bond) internal pure returns (uint256) {
        return uint128(BondWord.unwrap(bond));
    }

    /// @notice When the announced exit's unbonding ends (0 before an announcement).
    function unbondingEnds(BondWord bond) internal pure returns (uint256) {
        return BondWord.unwrap(bond) >> 128;
    }

    /// @notice The bond with its amount replaced by `amount_` (below 2^128), the exit time kept.
    function withAmount(BondWord bond, uint256 amount_) internal pure returns (BondWord) {
        return BondWord.wrap((BondWord.unwrap(bond) & ~uint256(type(uint128).max)) | amount_);
    }

    /// @notice The bond with an exit whose unbonding ends at `ends` (fits 40 bits).
    function exiting(BondWord bond, uint256 ends) internal pure returns (BondWord) {
        return BondWord.wrap(uint128(BondWord.unwrap(bond)) | (ends << 128));
    }
}
