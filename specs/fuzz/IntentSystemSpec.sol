// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IntentSystemDeployment} from "../../test/solidity/invariants/IntentSystemDeployment.sol";
import {FeeOnTransferToken} from "../../contracts/test/FeeOnTransferToken.sol";
import {MockERC20} from "../../contracts/test/MockERC20.sol";
import {RuleHandler} from "./RuleHandler.sol";

/// @notice Cheatcodes the specs use beyond those declared in test/solidity/utils/Test.sol.
interface SpecVm {
    function envOr(string calldata name, string calldata defaultValue) external view returns (string memory);
    function writeLine(string calldata path, string calldata data) external;
}

/**
 * @title IntentSystemSpec
 * @notice Base of the fuzz specs: deploys the real system ({IntentSystemDeployment}, the same
 * deployment test/solidity/invariants/IntentSystem.t.sol drives) and makes a spec-specific
 * {RuleHandler} the only fuzzed target.
 * @dev Rules are checked by `invariant_rule_<name>()` functions that call {_assertRule}. Vacuity:
 * when the engine sets {REACH_LOG_ENV} to a file, the first time a rule's postcondition is
 * reached in a run, the check that follows appends the rule's name to it; a rule whose name
 * never appears was never checked. The file is written from the invariant function, not from
 * `afterInvariant()`, because only the invariant function knows whose campaign is running.
 */
abstract contract IntentSystemSpec is IntentSystemDeployment {
    /// @notice The environment variable naming the reach log; unset, nothing is written.
    string internal constant REACH_LOG_ENV = "INTENTKIT_FUZZ_REACH_LOG";

    SpecVm private constant SPEC_VM = SpecVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    MockERC20 internal stake;

    /// @dev The creation code of the build under test: the pipeline's `build` stage writes it to
    /// artifacts/, and the specs check that very bytecode. The harnesses reach the contracts only
    /// through their interfaces, so compiling them never compiles the contracts again (see
    /// scripts/pipeline/specs/fuzz-build.ts).
    function _creationCode(string memory name) internal view override returns (bytes memory) {
        string memory artifact = vm.readFile(string.concat("artifacts/contracts/", name, ".sol/", name, ".json"));
        return vm.parseJsonBytes(artifact, ".bytecode");
    }

    function setUp() public {
        MockERC20 tokenA;
        MockERC20 tokenB;
        FeeOnTransferToken feeToken;
        (stake, tokenA, tokenB, feeToken) = _deploySystem();
        _targetHandler(_deployHandler(tokenA, tokenB, feeToken), _ruleSelectors());
    }

    /// @dev Deploys the spec's handler over `verifier`, `registry` and `stake`.
    function _deployHandler(
        MockERC20 tokenA,
        MockERC20 tokenB,
        FeeOnTransferToken feeToken
    ) internal virtual returns (RuleHandler);

    /// @dev The spec's own actions, fuzzed beside every {IntentSystemHandler} action.
    function _ruleSelectors() internal pure virtual returns (bytes4[] memory);

    /// @dev Fails when `rule`'s postcondition was ever false in this run; logs its first reach.
    function _assertRule(RuleHandler handler, string memory rule) internal {
        if (handler.reached(rule) != 0 && handler.firstReachedAt(rule) == handler.totalCalls()) {
            string memory log = SPEC_VM.envOr(REACH_LOG_ENV, string(""));
            if (bytes(log).length != 0) SPEC_VM.writeLine(log, rule);
        }
        uint256 broken = handler.broken(rule);
        if (broken != 0) assertEq(broken, 0, handler.lastBroken());
    }
}
