import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTERS_DIR, LOCAL_TARGET, ROOT, snapshotFileOf } from '../book/paths.ts';
import { targetLabel } from '../book/targets.ts';
import { badgeText, listText, matchedTargets, targetsText, targetText, verifiedOnDetails, verifiedOnText } from './badge.ts';
import type { TargetBlock } from './compare-targets.ts';
import type { Recorded } from './schema.ts';
import { loadSnapshot } from './store.ts';

// Recording headers as verify writes them: the book's chapter 1 on local and in the arm64 VM.
const file = join(ROOT, CHAPTERS_DIR, '01-two-machines-and-a-switch.mdx');
const local = loadSnapshot(snapshotFileOf(file))!.recorded;
const arm = loadSnapshot(snapshotFileOf(file, 'vm:arm64'))!.recorded;
const major = (v: string) => /^(\d+\.\d+)/.exec(v)![1]!;
const debian = (r: Recorded) => `Debian ${/ (\d+) /.exec(r.os)![1]}`;

describe('the chapter badge', () => {
	it('keeps its one line for scripts and the landing page', () => {
		expect(badgeText(local)).toBe(`verified on Linux ${major(local.kernel)} · iproute2 ${major(local.iproute2)} · ${local.arch} · ${local.date}`);
	});
});

describe('a block’s badge', () => {
	it('names a target with its system and kernel', () => {
		expect(targetText({ label: 'arm64 VM', recorded: arm })).toBe(`arm64 VM (${debian(arm)}, Linux ${major(arm.kernel)})`);
	});

	it('names targets that ran the same system together', () => {
		const x86 = { ...arm, arch: 'x86_64' };
		expect(targetsText([{ label: 'arm64 VM', recorded: arm }, { label: 'x86_64 VM', recorded: x86 }])).toBe(`arm64 VM and x86_64 VM (${debian(arm)}, Linux ${major(arm.kernel)})`);
		expect(targetsText([{ label: 'a', recorded: local }, { label: 'b', recorded: arm }, { label: 'c', recorded: local }])).toBe(
			`a and c (${debian(local)}, Linux ${major(local.kernel)}); b (${debian(arm)}, Linux ${major(arm.kernel)})`,
		);
	});

	it('lists targets as a sentence does', () => {
		expect(listText([])).toBe('');
		expect(listText(['a'])).toBe('a');
		expect(listText(['a', 'b'])).toBe('a and b');
		expect(listText(['a', 'b', 'c'])).toBe('a, b and c');
	});

	it('names the primary first, then the targets whose output matched, and details every recording', () => {
		const other = (target: string, differing: number[]): TargetBlock => ({ target, recorded: arm, block: { key: '0123456789abcdef', line: 1, host: 'pi', steps: [] }, differing });
		const matched = matchedTargets(LOCAL_TARGET, local, [other('vm:arm64', []), other('vm:x86_64', [0])]);
		expect(matched.map((m) => m.label)).toEqual([targetLabel(LOCAL_TARGET), targetLabel('vm:arm64')]);
		expect(verifiedOnText(matched)).toBe(`verified on ${targetText(matched[0]!)}; ${targetText(matched[1]!)}`);
		expect(verifiedOnDetails(matched)).toContain(`${targetLabel('vm:arm64')}: kernel ${arm.kernel}, iproute2 ${arm.iproute2}`);
		expect(verifiedOnText(matchedTargets(LOCAL_TARGET, local, []))).toBe(`verified on ${targetLabel(LOCAL_TARGET)} (${debian(local)}, Linux ${major(local.kernel)})`);
	});
});
