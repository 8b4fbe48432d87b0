import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mergeResults, type PartProvenance } from './merge.ts';
import { BENCH_PARTS, DEFAULT_PARTS, type BenchPart } from './parts.ts';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createKernelEngine } from '../engines/local/local.ts';
import { labNames, loadLab } from '../book/labs.ts';
import { createSimEngine } from '../engines/sim/sim-engine.ts';
import { loadBook } from '../runbook/load.ts';
import type { Chapter } from '../runbook/types.ts';
import { launchChromium, CHROMIUM_PATH } from './browser.ts';
import { browserBundleSize, type BundleSize } from './bundle.ts';
import { timeBook, timeEmptyLab, type BookTiming } from './engines.ts';
import { runLighthouse, type LighthouseFigures } from './lighthouse.ts';
import { currentCommit, describeMachine, type MachineDescription } from './machine.ts';
import { measurePage, type PageWeight } from './page-weight.ts';
import { startPreview } from './preview.ts';
import { dirSize, timeBuild } from './site.ts';
import { measureSimulatorCosts, type SimulatorCosts } from './simulator.ts';
import { buildStarlightStarter } from './starter.ts';
import { hasTerminal, openTerminal, timeClickToPrompt, timeCommands } from './terminal.ts';
import { median, round } from './stats.ts';
import { oneLine } from '../runbook/commands.ts';
import { measureTargets, TARGET_NAMES, type TargetName, type TargetsFigures } from './targets.ts';
import { measureV86, type V86Figures } from './v86.ts';

export { BENCH_PARTS, DEFAULT_PARTS, type BenchPart } from './parts.ts';

/** Which parts to run ({@link DEFAULT_PARTS} when `only` is empty). */
export interface BenchOptions {
	root: string;
	runs: number;
	only?: readonly BenchPart[];
	/** The targets part: which targets (default all of {@link TARGET_NAMES}). */
	targets?: readonly TargetName[];
	log: (line: string) => void;
}

/** Everything one `npm run bench` measured. */
export interface BenchResults {
	date: string;
	commit: string;
	machine: MachineDescription;
	site?: {
		buildMs: { runs: number[]; median: number };
		totalBytes: number;
		files: number;
		pagefindBytes: number;
		pages: { page: string; before: PageWeight; afterTerminal?: PageWeight }[];
		starter: PageWeight;
		/** Chapter page bytes (gzip, HTML+CSS+JS, before interaction) over the Starlight starter page's. */
		chapterOverStarter: number;
	};
	lighthouse?: LighthouseFigures[];
	verify?: BookTiming & { sandboxMs: number };
	sim?: BookTiming &
		SimulatorCosts & {
			bundle: BundleSize;
			clickToPromptMs?: { runs: number[]; median: number };
			/** Every command of the book typed into the page's terminal: Enter to prompt, ms. */
			browserCommandMs?: { commands: number; median: number; p90: number; max: number };
		};
	/** Per chapter: simulator time over kernel time. */
	simOverKernel?: { chapter: string; ratio: number }[];
	/** The verify targets side by side (`--only targets`). */
	targets?: TargetsFigures;
	/** The page's real kernel (`--only v86`). */
	v86?: V86Figures;
	/** When and at which commit each part was measured (a run of some parts keeps the others: merge.ts). */
	parts?: PartProvenance;
}

const sum = (w: PageWeight) => w.html.gzip + w.css.gzip + w.js.gzip;

/** Page weights of every page (before interaction, and with the terminal open) and the site's size. */
async function siteFigures(
	root: string,
	browser: Browser,
	previewUrl: string,
	chapterPages: readonly string[],
	buildMs: NonNullable<BenchResults['site']>['buildMs'],
	log: (line: string) => void,
): Promise<NonNullable<BenchResults['site']>> {
	const total = dirSize(join(root, 'dist'));
	const pages: NonNullable<BenchResults['site']>['pages'] = [];
	for (const page of ['', ...chapterPages]) {
		log(`site: page weight /${page}`);
		const url = `${previewUrl}${page ? `${page}/` : ''}`;
		const terminal = page !== '' && (await hasTerminal(browser, url));
		// After: the terminal open and one command run, so the simulator is surely loaded.
		const openAndRun = async (p: Page) => {
			await openTerminal(p);
			await timeCommands(p, ['hostname']);
		};
		const measured = await measurePage(browser, url, terminal ? openAndRun : undefined);
		pages.push({ page: `/${page}`, before: measured.before, ...(measured.after ? { afterTerminal: measured.after } : {}) });
	}
	log('site: Starlight starter page');
	const starterDir = buildStarlightStarter(join(root, 'bench/tmp/starter'));
	const starterPreview = await startPreview(starterDir);
	const starter = (await measurePage(browser, `${starterPreview.url}guides/example/`)).before;
	await starterPreview.stop();
	const chapters = pages.filter((p) => p.page !== '/');
	const meanChapter = chapters.reduce((n, p) => n + sum(p.before), 0) / Math.max(chapters.length, 1);
	return {
		buildMs,
		totalBytes: total.bytes,
		files: total.files,
		pagefindBytes: dirSize(join(root, 'dist/pagefind')).bytes,
		pages,
		starter,
		chapterOverStarter: round(meanChapter / sum(starter), 2),
	};
}

/** Click to prompt, and every command of the book typed into its chapter's terminal in Chromium. */
async function pageTerminalFigures(
	browser: Browser,
	previewUrl: string,
	book: readonly { chapter: Chapter }[],
	first: string,
	log: (line: string) => void,
): Promise<Pick<NonNullable<BenchResults['sim']>, 'clickToPromptMs' | 'browserCommandMs'>> {
	log('sim: click to prompt in Chromium × 5');
	const clickToPromptMs = await timeClickToPrompt(browser, `${previewUrl}${first}/`, 5);
	log('sim: every command of the book typed into the terminal');
	const times: number[] = [];
	for (const { chapter } of book) {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${previewUrl}${chapter.id}/`, { waitUntil: 'networkidle' });
		await openTerminal(page);
		const lines = chapter.blocks.filter((b) => b.runnable).flatMap((b) => b.commands.map((c) => `@${b.host} ${oneLine(c.text)}`));
		times.push(...(await timeCommands(page, lines)));
		await context.close();
	}
	const sorted = [...times].sort((a, b) => a - b);
	const browserCommandMs = { commands: times.length, median: round(median(times), 1), p90: round(sorted[Math.floor(sorted.length * 0.9)]!, 1), max: round(sorted.at(-1)!, 1) };
	return { clickToPromptMs, browserCommandMs };
}

/** Runs the benchmark and writes bench/results.json (merged with the parts this run did not measure). */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
	const { root, runs, log } = options;
	const want = (part: BenchPart) => (options.only?.length ? options.only : DEFAULT_PARTS).includes(part);
	const book = loadBook(root).map((chapter) => ({ chapter, lab: loadLab(chapter.lab, root) }));
	const results: BenchResults = { date: new Date().toISOString(), commit: currentCommit(root), machine: describeMachine(CHROMIUM_PATH) };
	const chapterPages = book.map(({ chapter }) => chapter.id);
	const sampled = [chapterPages[0], chapterPages[Math.floor(chapterPages.length / 2)], chapterPages.at(-1)].filter(
		(c): c is string => c !== undefined,
	);

	if (want('site') || want('lighthouse') || want('sim')) {
		log(`site: astro build × ${runs}`);
		const buildMs = await timeBuild(root, runs);
		const preview = await startPreview(root);
		const browser = await launchChromium();
		try {
			if (want('site')) results.site = await siteFigures(root, browser, preview.url, chapterPages, buildMs, log);
			if (want('lighthouse')) {
				log('lighthouse: landing page and three chapters, mobile and desktop');
				results.lighthouse = await runLighthouse([preview.url, ...sampled.map((c) => `${preview.url}${c}/`)]);
			}
			if (want('sim') && sampled[0] && (await hasTerminal(browser, `${preview.url}${sampled[0]}/`)))
				results.sim = { ...(results.sim as NonNullable<BenchResults['sim']>), ...(await pageTerminalFigures(browser, preview.url, book, sampled[0], log)) };
		} finally {
			await browser.close();
			await preview.stop();
		}
	}

	if (want('verify')) {
		const engine = createKernelEngine();
		log(`verify: kernel engine, whole book × ${runs}`);
		const timing = await timeBook(engine, book, runs);
		log('verify: empty sandbox × 5');
		const sandboxMs = await timeEmptyLab(engine, loadLab('machine', root), 5);
		results.verify = { ...timing, sandboxMs };
	}

	if (want('sim')) {
		log(`sim: replay the whole book × ${runs}`);
		const timing = await timeBook(createSimEngine(), book, runs);
		const costs = await measureSimulatorCosts(labNames(root).map((n) => loadLab(n, root)));
		const bundle = await browserBundleSize(join(root, 'src/lib/netsim/index.ts'));
		results.sim = { ...results.sim, ...timing, ...costs, bundle };
	}

	if (results.sim && results.verify) {
		const kernel = new Map(results.verify.chapters.map((c) => [c.chapter, c.ms]));
		results.simOverKernel = results.sim.chapters.map((c) => ({ chapter: c.chapter, ratio: round(c.ms / (kernel.get(c.chapter) ?? NaN), 4) }));
	}

	if (want('targets')) results.targets = await measureTargets({ root, targets: options.targets ?? TARGET_NAMES, log });
	if (want('v86')) results.v86 = await measureV86(root, Math.max(5, options.runs), log);

	mkdirSync(join(root, 'bench'), { recursive: true });
	const file = join(root, 'bench/results.json');
	const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResults) : undefined;
	writeFileSync(file, `${JSON.stringify(mergeResults(previous, results, BENCH_PARTS.filter(want)), null, '\t')}\n`);
	return results;
}
