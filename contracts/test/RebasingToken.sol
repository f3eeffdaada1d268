// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Test helper: a rebasing ERC-20 whose balances are shares times an index. A rebase is
/// announced and applies on the next transfer, so a transfer can raise every holder's balance
/// at once, the recipient's included.
contract RebasingToken {
    uint256 private constant ONE = 1e18;

    string public constant name = "Rebasing Token";
    string public constant symbol = "REBASE";
    uint8 public constant decimals = 18;

    uint256 public index = ONE;
    uint256 public pendingIndex;
    uint256 public totalShares;
    mapping(address account => uint256) public sharesOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Mints `amount` (at the current index) to `to`.
    function mint(address to, uint256 amount) external {
        uint256 shares = (amount * ONE) / index;
        sharesOf[to] += shares;
        totalShares += shares;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Announces a rebase to `newIndex`, applied by the next transfer.
    function announceRebase(uint256 newIndex) external {
        pendingIndex = newIndex;
    }

    function balanceOf(address account) external view returns (uint256) {
        return (sharesOf[account] * index) / ONE;
    }

    function totalSupply() external view returns (uint256) {
        return (totalShares * index) / ONE;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        uint256 shares = (amount * ONE) / index;
        sharesOf[from] -= shares;
        sharesOf[to] += shares;
        if (pendingIndex != 0) {
            index = pendingIndex;
            pendingIndex = 0;
        }
        emit Transfer(from, to, amount);
    }
}
