// Types for the rule's plain-JavaScript module, so its test is type-checked.
import type { Rule } from 'eslint';

declare const moduleWalls: Rule.RuleModule;
export default moduleWalls;
