import { describe, expect, it } from 'vitest';
import { BR_NETFILTER_HOOKS, hookStages, natTargetHooks, NF_HOOKS, NF_PATH, tableHooks, type NfHook, type NfStage } from './netfilter.ts';

const name = (s: NfStage): string => (s.kind === 'conntrack' ? `conntrack ${s.step}` : s.nat ? `nat ${s.nat} (${s.targets?.join(' ')})` : s.table);

describe('netfilter hooks', () => {
	it('runs each hook’s tables and conntrack in the kernel’s priority order', () => {
		const order = Object.fromEntries(NF_HOOKS.map((h) => [h, hookStages(h).map(name)]));
		expect(order).toEqual({
			PREROUTING: ['raw', 'conntrack track', 'mangle', 'nat dst (DNAT REDIRECT)'],
			INPUT: ['mangle', 'filter', 'security', 'nat src (SNAT)', 'conntrack confirm'],
			FORWARD: ['mangle', 'filter', 'security'],
			OUTPUT: ['raw', 'conntrack track', 'mangle', 'nat dst (DNAT REDIRECT)', 'filter', 'security'],
			POSTROUTING: ['mangle', 'nat src (SNAT MASQUERADE)', 'conntrack confirm'],
		});
		for (const hook of NF_HOOKS) {
			const p = hookStages(hook).map((s) => s.priority);
			expect(p, hook).toEqual([...p].sort((a, b) => a - b));
		}
	});

	it('gives each table its built-in chains in hook order, as iptables -S lists them', () => {
		expect(tableHooks('filter')).toEqual(['INPUT', 'FORWARD', 'OUTPUT']);
		expect(tableHooks('nat')).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
		expect(tableHooks('mangle')).toEqual(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
		expect(tableHooks('raw')).toEqual(['PREROUTING', 'OUTPUT']);
		expect(tableHooks('security')).toEqual(['INPUT', 'FORWARD', 'OUTPUT']);
	});

	it('derives the NAT targets’ hook masks', () => {
		expect(natTargetHooks()).toEqual({
			DNAT: ['PREROUTING', 'OUTPUT'],
			REDIRECT: ['PREROUTING', 'OUTPUT'],
			SNAT: ['INPUT', 'POSTROUTING'],
			MASQUERADE: ['POSTROUTING'],
		});
	});

	it('leads every packet from where it starts through the hooks to where it ends', () => {
		const next = (from: string): string[] => NF_PATH.filter((e) => e.from === from).map((e) => e.to);
		const walk = (from: string): string[][] => (next(from).length === 0 ? [[from]] : next(from).flatMap((n) => walk(n).map((p) => [from, ...p])));
		expect(walk('in').map((p) => p.join(' → '))).toEqual([
			'in → PREROUTING → route-in → INPUT → local → route-out → OUTPUT → POSTROUTING → out',
			'in → PREROUTING → route-in → FORWARD → POSTROUTING → out',
		]);
		// Each hook once on the graph; bridged frames take the forwarding path's hooks.
		const hooks = NF_PATH.flatMap((e) => [e.from, e.to]).filter((p): p is NfHook => (NF_HOOKS as readonly string[]).includes(p));
		expect(new Set(hooks)).toEqual(new Set(NF_HOOKS));
		expect(BR_NETFILTER_HOOKS).toEqual(['PREROUTING', 'FORWARD', 'POSTROUTING']);
	});
});
