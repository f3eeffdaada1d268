// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Slash proceeds owed to an account: amount (128) | unlocksAt (40, bit 128).
type CreditWord is uint256;

using CreditWordLibrary for CreditWord global;

/// @title CreditWordLibrary
/// @notice Reads and transitions of a {CreditWord}.
library CreditWordLibrary {
    function amount(CreditWord credit) internal pure returns (uint256) {
        return uint128(CreditWord.unwrap(credit));
    }

    function unlocksAt(CreditWord credit) internal pure returns (uint256) {
        return CreditWord.unwrap(credit) >> 128;
    }

    /// @notice `added` more owed (the sum stays below 2^128), all of it unlocking at `unlocksAt_`.
    function plus(CreditWord credit, uint256 added, uint256 unlocksAt_) internal pure returns (CreditWord) {
        return CreditWord.wrap((uint128(CreditWord.unwrap(credit)) + added) | (unlocksAt_ << 128));
    }
}
