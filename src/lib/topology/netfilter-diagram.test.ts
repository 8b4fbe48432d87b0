import { describe, expect, it } from 'vitest';
import { hookStages, NF_HOOKS } from '../shared/netfilter.ts';
import { sansWidth } from './measure.ts';
import { describeHooks, DRAWN_TABLES, HOOKS_GEOMETRY, hooksDiagram, layoutHooks, stageLabelWidth } from './netfilter-diagram.ts';
import { renderHooksSvg } from './netfilter-svg.ts';
import { checkXml } from './xml.test-helper.ts';

const svg = renderHooksSvg({ id: 'nf' });

/** The figure as drawn: each hook box's stages (`data-stage`) and labels, in document order. */
function drawnHooks(): { hook: string; stages: string[]; labels: string[]; bridged: boolean }[] {
	return svg
		.split('<g class="hook" ')
		.slice(1)
		.map((g) => ({
			hook: /^data-hook="(\w+)"/.exec(g)![1]!,
			stages: [...g.matchAll(/data-stage="(\w+)"/g)].map((m) => m[1]!),
			labels: [...g.matchAll(/<g class="stage[^>]*>.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!),
			bridged: g.includes('<g class="br">'),
		}));
}

describe('the figure of netfilter’s hooks', () => {
	it('draws each hook once, its stages in the order the simulator runs them', () => {
		const hooks = drawnHooks();
		expect(hooks.map((h) => h.hook).sort()).toEqual([...NF_HOOKS].sort());
		for (const h of hooks) {
			const fromData = hookStages(h.hook as (typeof NF_HOOKS)[number])
				.map((s) => (s.kind === 'conntrack' ? 'conntrack' : s.table))
				.filter((k) => k === 'conntrack' || (DRAWN_TABLES as readonly string[]).includes(k));
			expect(h.stages, h.hook).toEqual(fromData);
		}
		expect(Object.fromEntries(hooks.map((h) => [h.hook, h.labels]))).toEqual({
			PREROUTING: ['raw', 'conntrack: look up', 'mangle', 'nat: DNAT, REDIRECT'],
			INPUT: ['mangle', 'filter', 'nat: SNAT', 'conntrack: confirm'],
			FORWARD: ['mangle', 'filter'],
			OUTPUT: ['raw', 'conntrack: look up', 'mangle', 'nat: DNAT, REDIRECT', 'filter'],
			POSTROUTING: ['mangle', 'nat: SNAT, MASQUERADE', 'conntrack: confirm'],
		});
	});

	it('places conntrack after raw where packets enter, and its confirmation last where they leave netfilter', () => {
		for (const h of drawnHooks()) {
			if (h.hook === 'PREROUTING' || h.hook === 'OUTPUT') expect(h.stages.slice(0, 2), h.hook).toEqual(['raw', 'conntrack']);
			if (h.hook === 'INPUT' || h.hook === 'POSTROUTING') expect(h.labels.at(-1), h.hook).toBe('conntrack: confirm');
			if (h.hook === 'FORWARD') expect(h.stages).not.toContain('conntrack');
		}
	});

	it('marks the hooks br_netfilter feeds bridged frames through', () => {
		expect(drawnHooks().filter((h) => h.bridged).map((h) => h.hook)).toEqual(['PREROUTING', 'FORWARD', 'POSTROUTING']);
	});

	it('is accessible: a title and a description that names every hook and stage, in words', () => {
		expect(checkXml(svg)).toEqual([]);
		expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="nf-title nf-desc">\n<title id="nf-title">Netfilter’s hooks, and what runs at each<\/title>\n<desc id="nf-desc">/);
		const text = describeHooks();
		expect(svg).toContain(`<desc id="nf-desc">${text}</desc>`);
		const lines = text.split('\n');
		for (const hook of NF_HOOKS) expect(lines.filter((l) => l.startsWith(`- ${hook} (`)), hook).toHaveLength(1);
		expect(text).toContain('- PREROUTING (a packet arrives on an interface): raw; conntrack looks up the packet’s connection, or starts a new one; mangle; nat (DNAT, REDIRECT; a connection’s first packet only). Then the routing decision: INPUT for this host, or FORWARD for another host.');
		expect(text).toContain('- POSTROUTING (after OUTPUT or FORWARD): mangle; nat (SNAT, MASQUERADE; a connection’s first packet only); conntrack confirms a new connection into its table. Then it leaves by an interface.');
		expect(text).toContain('passes PREROUTING, FORWARD and POSTROUTING (marked “bridge”)');
		expect(text).toContain('Not drawn: the security table (for SELinux), which runs after filter.');
	});

	it('fits a phone’s column at full size: nothing overlaps, every label fits its box', () => {
		const layout = layoutHooks();
		expect(layout.width).toBeLessThanOrEqual(332);
		const boxes = layout.nodes;
		for (const a of boxes) {
			expect(a.x, a.id).toBeGreaterThanOrEqual(0);
			expect(a.x + a.w, a.id).toBeLessThanOrEqual(layout.width);
			expect(a.y + a.h, a.id).toBeLessThanOrEqual(layout.height);
			for (const b of boxes) if (a !== b) expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `${a.id} overlaps ${b.id}`).toBe(true);
		}
		for (const box of hooksDiagram().boxes) {
			const node = boxes.find((n) => n.id === box.hook)!;
			for (const s of box.stages) expect(stageLabelWidth(s.label) + 12, s.label).toBeLessThanOrEqual(node.w - 2 * HOOKS_GEOMETRY.pad);
		}
		for (const e of layout.edges.filter((x) => x.label)) {
			const w = sansWidth(e.label!.text, HOOKS_GEOMETRY.fonts.label);
			const [left, right] = e.label!.anchor === 'end' ? [e.label!.x - w, e.label!.x] : [e.label!.x, e.label!.x + w];
			expect(left, e.label!.text).toBeGreaterThanOrEqual(0);
			expect(right, e.label!.text).toBeLessThanOrEqual(layout.width);
		}
		expect(Math.min(...Object.values(HOOKS_GEOMETRY.fonts))).toBeGreaterThanOrEqual(10);
	});

	it('is deterministic', () => {
		expect(renderHooksSvg({ id: 'nf' })).toBe(svg);
		expect(renderHooksSvg()).toMatch(/aria-labelledby="nf-[0-9a-f]{8}-title nf-[0-9a-f]{8}-desc"/);
	});
});
