/** Policy routing rules (FRA_* of RTM_NEWRULE, RTM_DELRULE), kept sorted by priority. */
import type { Netns, PolicyRule } from '../model/netns.ts';
import { ok, refuse, type Result } from './errno.ts';

/** Adds a rule; without a priority it goes just before the first non-zero one (as fib_nl_newrule picks). */
export function ruleAdd(ns: Netns, rule: PolicyRule, prioritySet: boolean): Result {
	let priority = rule.priority;
	if (!prioritySet) {
		const nonzero = ns.rules.find((x) => x.priority > 0);
		priority = nonzero ? nonzero.priority - 1 : 0;
	}
	ns.rules.push({ priority, table: rule.table, from: rule.from, to: rule.to });
	ns.rules.sort((x, y) => x.priority - y.priority);
	return ok();
}

/** Deletes the first rule `matches` accepts: ENOENT when none does. */
export function ruleDel(ns: Netns, matches: (r: PolicyRule) => boolean): Result {
	const hit = ns.rules.find(matches);
	if (!hit) return refuse('ENOENT');
	ns.rules = ns.rules.filter((x) => x !== hit);
	return ok();
}
