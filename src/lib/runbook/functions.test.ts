import { describe, expect, it } from 'vitest';
import { expandCalls, functionDefinition, FunctionScope } from './functions.ts';

const MKPOD = 'mkpod() { \\\n  ip netns add "$1"; \\\n  ip -n "$1" addr add "$2" dev eth0; \\\n}';

describe('a chapter’s shell functions', () => {
	it('reads a definition written over continued lines', () => {
		expect(functionDefinition(MKPOD)).toEqual({ name: 'mkpod', body: 'ip netns add "$1"; ip -n "$1" addr add "$2" dev eth0', text: MKPOD });
		expect(functionDefinition('ip link add cni0 type bridge')).toBeUndefined();
	});

	it('expands a call into its body with the arguments in place', () => {
		const fns = new Map([['mkpod', 'ip netns add "$1"; ip link add "veth-$1" type veth; echo ${2} $# "a b"']]);
		expect(expandCalls('mkpod pod1 10.244.1.2/24', fns)).toBe('ip netns add pod1; ip link add veth-pod1 type veth; echo 10.244.1.2/24 2 "a b"');
		expect(expandCalls('ip netns add pod1', fns)).toBe('ip netns add pod1');
	});

	it('knows a function only after its definition, per scope', () => {
		const scope = new FunctionScope();
		expect(scope.read('mkpod a 10.0.0.2/24')).toEqual(['mkpod a 10.0.0.2/24']);
		expect(scope.read(MKPOD)).toEqual([]);
		expect(scope.read('mkpod a 10.0.0.2/24')).toEqual(['ip netns add a; ip -n a addr add 10.0.0.2/24 dev eth0']);
	});
});
