// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The cheatcodes intentkit's Solidity tests use. Hardhat 3's EDR serves them at the
/// standard address; forge-std itself is not on the npm registry in an official build, so this
/// interface declares just what is used.
interface Vm {
    function warp(uint256 timestamp) external;
    function roll(uint256 blockNumber) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function deal(address account, uint256 amount) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 selector) external;
    function expectRevert() external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function assume(bool condition) external pure;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function label(address account, string calldata name) external;
    function writeFile(string calldata path, string calldata data) external;
    function toString(uint256 value) external pure returns (string memory);
    function snapshotValue(string calldata group, string calldata name, uint256 value) external;
    function getCode(string calldata artifact) external view returns (bytes memory creationBytecode);
    function readFile(string calldata path) external view returns (string memory data);
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
}

/// @notice Invariant-campaign targeting, read by the fuzzer (same ABI as forge-std's StdInvariant).
abstract contract InvariantTargets {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetContracts;
    FuzzSelector[] private _targetSelectors;
    address[] private _targetSenders;

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetSelectors.push(selector);
    }

    function targetSender(address sender) internal {
        _targetSenders.push(sender);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetSenders;
    }
}

/// @notice Minimal test base: the cheatcode handle, bounded fuzz inputs and assertions with
/// messages that name both values.
abstract contract Test is InvariantTargets {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error AssertionFailed(string message);
    /// @notice Deploying the project's contract `name` reverted (its constructor refused the arguments).
    error DeploymentFailed(string name);

    /// @dev Deploys the project's contract `name` (contracts/<name>.sol) with ABI-encoded
    /// constructor `args`. Tests deploy the system this way, through its interfaces, rather than
    /// with `new`: a test that imports a contract compiles that contract's via-IR bytecode again
    /// in its own compile job, and a test that does not only recompiles when it changes itself.
    function _deploy(string memory name, bytes memory args) internal returns (address deployed) {
        bytes memory initCode = abi.encodePacked(_creationCode(name), args);
        assembly ("memory-safe") {
            deployed := create(0, add(initCode, 0x20), mload(initCode))
        }
        if (deployed == address(0)) revert DeploymentFailed(name);
    }

    /// @dev The creation code of the project's contract `name`, from the artifacts of this test
    /// run (under `--coverage`, the instrumented build).
    function _creationCode(string memory name) internal view virtual returns (bytes memory) {
        return vm.getCode(string.concat(name, ".sol:", name));
    }

    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // full range
        return min + (x % size);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert AssertionFailed(message);
    }

    function assertEq(uint256 a, uint256 b, string memory message) internal pure {
        if (a != b) revert AssertionFailed(string.concat(message, ": ", _str(a), " != ", _str(b)));
    }

    function assertEq(address a, address b, string memory message) internal pure {
        if (a != b) revert AssertionFailed(message);
    }

    function assertEq(bytes32 a, bytes32 b, string memory message) internal pure {
        if (a != b) revert AssertionFailed(message);
    }

    function assertLe(uint256 a, uint256 b, string memory message) internal pure {
        if (a > b) revert AssertionFailed(string.concat(message, ": ", _str(a), " > ", _str(b)));
    }

    function assertGe(uint256 a, uint256 b, string memory message) internal pure {
        if (a < b) revert AssertionFailed(string.concat(message, ": ", _str(a), " < ", _str(b)));
    }

    function _str(uint256 value) private pure returns (string memory s) {
        if (value == 0) return "0";
        uint256 digits;
        for (uint256 v = value; v != 0; v /= 10) digits++;
        bytes memory buffer = new bytes(digits);
        for (; value != 0; value /= 10) buffer[--digits] = bytes1(uint8(48 + (value % 10)));
        s = string(buffer);
    }
}
