// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Test helper: a token whose transfers move nothing and return false, and whose
/// balances can be set freely (a hostile token can report any balance).
contract FalseReturnToken {
    mapping(address account => uint256) public balanceOf;

    /// @notice Sets `account`'s reported balance.
    function setBalance(address account, uint256 amount) external {
        balanceOf[account] = amount;
    }

    /// @notice Reports an unlimited allowance, so the verifier goes on to the transfer itself.
    function allowance(address, address) external pure returns (uint256) {
        return type(uint256).max;
    }

    /// @notice Approves nothing; returns true so setup code does not stop here.
    function approve(address, uint256) external pure returns (bool) {
        return true;
    }

    /// @notice Moves nothing and says so.
    function transfer(address, uint256) external pure returns (bool) {
        return false;
    }

    /// @notice Moves nothing and says so.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        return false;
    }
}
