import { describe, expect, it } from 'vitest';
import { recorded } from './chapter-9.test-helper.ts';
import { parseIpv4 } from './ipv4.ts';
import { chainName, masqueradeRules } from './masquerade.ts';
import { nodeSystem } from './node-system.ts';

/** A rule's arguments as `iptables -S` prints them: words with blanks quoted, inner quotes escaped. */
const asListed = (args: string[]): string => `-A ${args.map((a) => (/\s/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ')}`;

describe('masqueradeRules', () => {
	it('names the chain as the reference plugin does: CNI- and 24 hex digits of sha512(name + id)', () => {
		expect(chainName(nodeSystem, 'podnet', 'pod1')).toBe('CNI-9529d4a22b8902790e23f99c');
		expect(chainName(nodeSystem, 'podnet', 'pod2')).not.toBe(chainName(nodeSystem, 'podnet', 'pod1'));
	});

	it('are the reference plugin\'s rules for pod1, as chapter 9 recorded `iptables -t nat -S`', () => {
		const { chain, rules } = masqueradeRules(nodeSystem, 'podnet', 'pod1', { address: parseIpv4('10.22.0.2') as number, prefix: 16 });
		const listed = recorded(/^iptables -t nat -S$/).split('\n').filter((l) => l.startsWith('-A '));
		// -S lists the built-in chain's rules first; the plugin creates the chain's rules before the jump to it.
		expect(rules.map(asListed).sort()).toEqual([...listed].sort());
		expect(listed).toHaveLength(3);
		expect(recorded(/^iptables -t nat -S$/)).toContain(`-N ${chain}\n`);
	});
});
