/** `ip rule`: list, add, del (policy routing). */
import { formatIpv4, parsePrefix } from '../../addr/ipv4.ts';
import { USAGE_IP_RULE } from '../usage.ts';
import { ruleAdd, ruleDel } from '../../kernel/rule.ts';
import type { PolicyRule } from '../../model/netns.ts';
import { Printer } from '../../print/printer.ts';
import { Args, matches } from '../args.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { IpCtx, IpOut } from './common.ts';
import { badPrefix, incomplete, invarg, must } from './errors.ts';
import { tableName } from '../../print/route.ts';

function fmtPrefix(p: { addr: number; len: number } | undefined): string {
	if (!p) return 'all';
	return p.len === 32 ? formatIpv4(p.addr) : `${formatIpv4(p.addr)}/${p.len}`;
}

function ruleList(ic: IpCtx): IpOut {
	const p = new Printer(ic.opts.json);
	p.openArray();
	for (const r of ic.ns.rules) {
		p.openObject();
		p.num('priority', '%u:\t', r.priority);
		p.str('src', '', r.from ? formatIpv4(r.from.addr) : 'all', 'json');
		if (r.from && r.from.len !== 32) p.num('srclen', '', r.from.len, 'json');
		p.out(`from ${fmtPrefix(r.from)} `);
		if (r.to) {
			p.str('dst', '', formatIpv4(r.to.addr), 'json');
			if (r.to.len !== 32) p.num('dstlen', '', r.to.len, 'json');
			p.out(`to ${fmtPrefix(r.to)} `);
		}
		p.str('table', 'lookup %s', tableName(r.table));
		p.close();
		p.out('\n');
	}
	p.close();
	return { stdout: p.result() };
}

function parseRule(a: Args): PolicyRule & { prioritySet: boolean } {
	const r: PolicyRule & { prioritySet: boolean } = { priority: 0, table: 254, prioritySet: false };
	for (let w = a.cur; w !== undefined; w = a.next()) {
		const v = (): string => {
			const x = a.next();
			if (x === undefined) incomplete();
			return x;
		};
		if (w === 'from') {
			const t = v();
			if (t !== 'all') r.from = parsePrefix(t) ?? badPrefix(t);
		} else if (w === 'to') {
			const t = v();
			if (t !== 'all') r.to = parsePrefix(t) ?? badPrefix(t);
		} else if (matches(w, 'priority') || w === 'pref' || w === 'order') {
			const t = v();
			if (!/^\d+$/.test(t)) invarg('preference value is invalid\n', t);
			r.priority = Number(t);
			r.prioritySet = true;
		} else if (matches(w, 'table') || w === 'lookup') {
			const t = v();
			r.table = t === 'main' ? 254 : t === 'local' ? 255 : t === 'default' ? 253 : /^\d+$/.test(t) ? Number(t) : invarg('invalid table ID\n', t);
		} else if (w === 'fwmark') {
			const t = v();
			if (!/^(0[xX][0-9a-fA-F]+|\d+)(\/(0[xX][0-9a-fA-F]+|\d+))?$/.test(t)) invarg('fwmark value is invalid\n', t);
			// Marks are not modelled in rules: the simulator refuses the rule as it always has.
			throw new ToolExit(255, `Error: argument "${w}" is wrong: Failed to parse rule type\n`);
		} else throw new ToolExit(255, `Error: argument "${w}" is wrong: Failed to parse rule type\n`);
	}
	return r;
}

/** Entry point for `ip rule …`. */
export function ipRule(ic: IpCtx, argv: string[]): IpOut {
	const a = new Args(argv);
	const w = a.cur;
	if (w === undefined) return ruleList(ic);
	a.next();
	if (matches(w, 'list') || matches(w, 'show') || w === 'lst') {
		// A word that is no selector is the `from` prefix, read in the rule's family (inet).
		for (let x = a.cur; x !== undefined; x = a.next()) {
			if (['from', 'to', 'table', 'lookup', 'pref', 'priority', 'iif', 'oif', 'fwmark', 'tos', 'dev'].includes(x)) {
				a.next();
				continue;
			}
			if (x !== 'all' && !parsePrefix(x)) throw new ToolExit(1, `Error: inet prefix is expected rather than "${x}".\n`);
		}
		return ruleList(ic);
	}
	if (matches(w, 'add')) {
		const r = parseRule(a);
		must(ruleAdd(ic.ns, r, r.prioritySet));
		return { stdout: '' };
	}
	if (matches(w, 'delete')) {
		const r = parseRule(a);
		must(ruleDel(ic.ns, (x) => (!r.prioritySet || x.priority === r.priority) && (r.table === 254 || x.table === r.table) && fmtPrefix(x.from) === fmtPrefix(r.from) && fmtPrefix(x.to) === fmtPrefix(r.to)));
		return { stdout: '' };
	}
	if (matches(w, 'help')) throw new ToolExit(255, USAGE_IP_RULE);
	throw new ToolExit(255, `Command "${w}" is unknown, try "ip rule help".\n`);
}
