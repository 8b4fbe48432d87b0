// npx tsx scripts/compare-layouts.ts [OUTDIR]
// Draws every recorded state of the book with both layouts (the hand layout and elkjs), measures
// each drawing (src/lib/topology/quality.ts, plus the text as Chromium renders it), prints one
// table row per drawing, and writes OUTDIR/<chapter>-L<line>.png: the two side by side.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadLab, ROOT } from '../src/lib/lab/load.ts';
import { builtStateBlock } from '../src/lib/runbook/cleanup.ts';
import { loadBook } from '../src/lib/runbook/load.ts';
import { readSnapshot } from '../src/lib/snapshot/store.ts';
import { layoutSimple, renderLayout, toScene, toTopology, type Layout } from '../src/lib/topology/index.ts';
import { layoutWithElk } from '../src/lib/topology/layout-elk.ts';
import { measureLayout, type LayoutQuality } from '../src/lib/topology/quality.ts';

/** Width of a chapter's text column at desktop size (45rem) less the figure's padding and border. */
const COLUMN = 720 - 2 * 12 - 2;
/** Smallest font in a diagram (notes), px. */
const SMALLEST_FONT = 10;

const outDir = process.argv[2] ?? '/tmp/layouts';
mkdirSync(outDir, { recursive: true });

interface Drawing {
	name: string;
	/** Drawn by the build: a `diagram` block or the end-of-chapter figure. */
	built: boolean;
	svg: string;
	layout: Layout;
	quality: LayoutQuality;
}

/** What Chromium sees: text boxes that overlap, and wires that cross a text. */
interface TextCheck {
	textOverlaps: number;
	wireThroughText: number;
	findings: string[];
}

const diagrams: { name: string; built: boolean; hand: Drawing; elk: Drawing }[] = [];
for (const chapter of loadBook(ROOT)) {
	const read = readSnapshot(ROOT, chapter.id);
	if (read.status !== 'ok') continue;
	const lab = loadLab(chapter.lab, ROOT);
	const final = builtStateBlock(chapter);
	for (const block of chapter.blocks) {
		const state = read.snapshot.blocks.find((b) => b.key === block.key)?.state;
		if (!state) continue;
		const name = `${chapter.id}-L${block.line}`;
		const built = block.attributes.diagram === true || block === final;
		const topology = toTopology(state, lab);
		const scene = toScene(topology);
		const draw = (layout: Layout): Drawing => ({ name, built, layout, quality: measureLayout(layout), svg: renderLayout(topology, layout, { title: name, id: `d${diagrams.length}` }) });
		diagrams.push({ name, built, hand: draw(layoutSimple(scene)), elk: draw(await layoutWithElk(scene)) });
	}
}

// The recorded fixture scenes too (tests/fixtures/topology): labs the book does not draw.
const FIXTURES = join(ROOT, 'tests/fixtures/topology');
for (const c of JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as { name: string; lab: string }[]) {
	const topology = toTopology(JSON.parse(readFileSync(join(FIXTURES, 'states', `${c.name}.json`), 'utf8')), loadLab(c.lab, ROOT));
	const scene = toScene(topology);
	const name = `fixture-${c.name}`;
	const draw = (layout: Layout): Drawing => ({ name, built: false, layout, quality: measureLayout(layout), svg: renderLayout(topology, layout, { title: name, id: `d${diagrams.length}` }) });
	diagrams.push({ name, built: false, hand: draw(layoutSimple(scene)), elk: draw(await layoutWithElk(scene)) });
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ deviceScaleFactor: 1 });
const rows: string[] = [];
const header = '| diagram | build | engine | size (px) | aspect | area (kpx²) | crossings | shared runs | box overlaps | wire through box | text overlaps | wire through text | smallest text at 694 px (px) | wire length (px) | bends |';
rows.push(header, `|${header.split('|').slice(1, -1).map(() => '---').join('|')}|`);
for (const d of diagrams) {
	const checks: Record<'hand' | 'elk', TextCheck> = { hand: { textOverlaps: 0, wireThroughText: 0, findings: [] }, elk: { textOverlaps: 0, wireThroughText: 0, findings: [] } };
	await page.setContent(sideBySide(d.name, d.hand, d.elk));
	for (const engine of ['hand', 'elk'] as const) checks[engine] = await page.evaluate(textCheck, { id: engine, wires: d[engine].layout.wires.map((w) => ({ id: w.id, points: w.points })) });
	await page.screenshot({ path: join(outDir, `${d.name}.png`), fullPage: true });
	for (const engine of ['hand', 'elk'] as const) {
		const q = d[engine].quality;
		const t = checks[engine];
		const smallest = (SMALLEST_FONT * Math.min(1, COLUMN / q.width)).toFixed(1);
		rows.push(`| ${d.name} | ${d.built ? 'yes' : ''} | ${engine} | ${q.width}×${q.height} | ${q.aspect} | ${Math.round(q.area / 1000)} | ${q.crossings} | ${q.sharedRuns} | ${q.overlaps} | ${q.wireThroughBox} | ${t.textOverlaps} | ${t.wireThroughText} | ${smallest} | ${q.wireLength} | ${q.bends} |`);
		for (const f of [...q.findings, ...t.findings]) process.stderr.write(`${d.name} ${engine}: ${f}\n`);
	}
}
await browser.close();
process.stdout.write(`${rows.join('\n')}\n`);

/** A page with the two drawings at their natural size, hand layout left, elkjs right. */
function sideBySide(name: string, hand: Drawing, elk: Drawing): string {
	const cell = (id: string, label: string, d: Drawing) =>
		`<div class="cell" id="${id}"><h2>${label}: ${d.quality.width}×${d.quality.height} px · ${d.quality.crossings} crossings · ${d.quality.overlaps} overlaps · ${d.quality.wireThroughBox} wires through boxes · wires ${d.quality.wireLength} px, ${d.quality.bends} bends</h2>${d.svg.replace('style="max-width:', 'style="width:')}</div>`;
	return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:16px;font:14px system-ui,sans-serif;background:#fff}h1{font-size:16px;margin:0 0 8px}
.row{display:flex;gap:24px;align-items:flex-start}.cell{border:1px solid #ccc;padding:8px}h2{font-size:13px;margin:0 0 6px;color:#444}
</style></head><body><h1>${name}</h1><div class="row">${cell('hand', 'hand layout', hand)}${cell('elk', 'elkjs', elk)}</div></body></html>`;
}

/**
 * Runs in the page: measures every `<text>` of one drawing as Chromium lays it out, and counts
 * pairs of texts that overlap and wire segments that run through a text.
 */
function textCheck({ id, wires }: { id: string; wires: { id: string; points: { x: number; y: number }[] }[] }): TextCheck {
	const svg = document.querySelector(`#${id} svg`) as SVGSVGElement;
	const texts = [...svg.querySelectorAll('text')].map((t) => {
		const b = t.getBBox();
		return { label: t.textContent ?? '', x: b.x, y: b.y, w: b.width, h: b.height };
	});
	const findings: string[] = [];
	let textOverlaps = 0;
	for (let i = 0; i < texts.length; i++)
		for (let j = i + 1; j < texts.length; j++) {
			const a = texts[i]!;
			const b = texts[j]!;
			const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
			const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
			// Glyph boxes include line spacing: an overlap under 1 px is two lines touching.
			if (ox > 1 && oy > 1) {
				textOverlaps++;
				findings.push(`text overlap: "${a.label}" / "${b.label}"`);
			}
		}
	let wireThroughText = 0;
	for (const w of wires)
		for (const t of texts) {
			// The glyph box runs from the font's ascent to its descent; half a pixel in, a wire that
			// only grazes it does not count.
			const x1 = t.x + 0.5;
			const x2 = t.x + t.w - 0.5;
			const y1 = t.y + 0.5;
			const y2 = t.y + t.h - 0.5;
			const hit = w.points.slice(1).some((b, k) => {
				const a = w.points[k]!;
				if (a.x === b.x) return a.x > x1 && a.x < x2 && Math.max(a.y, b.y) > y1 && Math.min(a.y, b.y) < y2;
				if (a.y === b.y) return a.y > y1 && a.y < y2 && Math.max(a.x, b.x) > x1 && Math.min(a.x, b.x) < x2;
				return false;
			});
			if (hit) {
				wireThroughText++;
				findings.push(`wire through text: ${w.id} → "${t.label}"`);
			}
		}
	return { textOverlaps, wireThroughText, findings };
}
