/**
 * The "Try it" panel, loaded on demand by loader.ts: the terminal, the live diagram with its
 * packet walk, and the chapter's progress, over the simulator engine, or over a real Linux kernel
 * in the page when the reader asks for it (real-kernel-view.ts; nothing of it loads before).
 */
import type { TerminalEngine } from '../../lib/terminal/engine.ts';
import { initialState } from '../../lib/terminal/initial-state.ts';
import { Shell } from '../../lib/terminal/shell.ts';
import { createSimTerminalEngine, loadNetsim } from '../../lib/terminal/sim-engine.ts';
import { compileChecks } from '../../lib/terminal/progress.ts';
import type { ChapterCheckView } from './chapter-check-view.ts';
import { ChecksView } from './checks-view.ts';
import type { TryItData } from './data.ts';
import { DiagramView } from './diagram-view.ts';
import { h } from './dom.ts';
import { reasonOf } from './real-kernel-support.ts';
import { RealKernelView, type ClosableEngine, type StartOptions } from './real-kernel-view.ts';
import { scrollBox } from './scroll-box.ts';
import { TerminalView } from './terminal-view.ts';
import { WalkView } from './walk-view.ts';

/**
 * Loads the simulator without starting anything, so that the terminal opens (also offline) once
 * the reader has started reading; see loader.ts.
 */
export async function warmUp(): Promise<void> {
	await loadNetsim();
}

/** What loader.ts can ask of a mounted panel. */
export interface TryItPanel {
	runBlock(index: number): Promise<void>;
	runUpTo(index: number): Promise<void>;
	focus(): void;
	shell: Shell;
}

type Pane = 'terminal' | 'diagram' | 'progress';

/** Starts the real kernel: the engine's module is its own chunk, imported only now. */
async function startRealKernel(data: TryItData, options: StartOptions): Promise<ClosableEngine> {
	const manifest = data.realKernel.manifest;
	if (!manifest) throw new Error('this build of the site has no kernel image');
	const { createV86TerminalEngine } = await import('../../lib/terminal/v86-engine.ts');
	return createV86TerminalEngine({ manifest, baseUrl: data.realKernel.base, lab: data.lab, chapter: data.chapter, onProgress: options.onProgress, signal: options.signal });
}

/** After Ctrl-C a command ends within seconds, and a state or a fresh lab comes in well under these (ms). */
const INTERRUPT_MS = 30_000;
const STATE_MS = 60_000;
const RESET_MS = 240_000;

/** `p`, or a rejection saying `what` when it has not settled `ms` after `from` resolved (at once without one). */
function deadline<T>(p: Promise<T>, ms: number, what: string, from?: Promise<void>): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		void (from ?? Promise.resolve()).then(() => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms)));
		p.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				clearTimeout(timer);
				reject(error);
			},
		);
	});
}

/**
 * The engine with its failures watched: the real kernel never rejects for what the reader typed,
 * so a rejection, or silence where an answer is due (a state, a fresh lab, the end of a command
 * after Ctrl-C), means the machine stopped answering, and `broken` takes the reader back.
 */
function watched(engine: ClosableEngine, broken: (reason: string) => void): ClosableEngine {
	const watch = <T>(p: Promise<T>): Promise<T> =>
		p.catch((e: unknown) => {
			broken(reasonOf(e));
			throw e;
		});
	const aborted = (signal: AbortSignal | undefined): Promise<void> | undefined =>
		signal && !signal.aborted ? new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) : undefined;
	const commands = engine.commands?.bind(engine);
	return {
		name: engine.name,
		hosts: () => engine.hosts(),
		...(commands ? { commands } : {}),
		run: (host, line, options) => {
			const interrupted = aborted(options?.signal);
			const run = engine.run(host, line, options);
			return watch(interrupted ? deadline(run, INTERRUPT_MS, 'the command did not stop after Ctrl-C', interrupted) : run);
		},
		state: () => watch(deadline(engine.state(), STATE_MS, 'the kernel did not report its state')),
		reset: () => watch(deadline(engine.reset(), RESET_MS, 'the kernel did not build a fresh lab')),
		close: () => engine.close(),
	};
}

/** Builds the panel inside `container` and starts the engine (the simulator unless given). */
export function mountPanel(container: HTMLElement, data: TryItData, engine: TerminalEngine = createSimTerminalEngine(data.lab, { ...(data.machine ? { machine: data.machine } : {}), ...(data.programs ? { programs: data.programs } : {}) })): TryItPanel {
	const diagram = new DiagramView(data.lab);
	const walk = new WalkView(diagram);
	const checks = new ChecksView(data.chapter, compileChecks(data.checks));

	// On a narrow panel one pane shows at a time, chosen with these buttons (CSS hides them on wide ones).
	const body = h('div', { class: 'nb-tp-body', 'data-pane': 'terminal' });
	const panes = h('div', { class: 'nb-tp-panes', role: 'group', 'aria-label': 'Show' });
	const show = (pane: Pane) => {
		body.dataset['pane'] = pane;
		for (const b of panes.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset['pane'] === pane));
	};
	for (const [pane, label] of [['terminal', 'Terminal'], ['diagram', 'Diagram'], ['progress', 'Progress']] as const) {
		const b = h('button', { type: 'button', 'data-pane': pane, 'aria-pressed': String(pane === 'terminal') }, label);
		b.addEventListener('click', () => show(pane));
		panes.append(b);
	}

	const terminal = new TerminalView((trace) => {
		show('diagram');
		walk.show(trace);
	});
	const shell = new Shell(engine, terminal, {
		blocks: data.blocks,
		onState: (state) => diagram.render(state),
		// Progress counts the reader's own commands only, not what "Run up to here" replayed.
		onSettle: (state) => checks.settle(state),
		onCommand: (record) => {
			if (shell.state) checks.command(record, shell.state);
		},
	});
	terminal.connect(shell);

	// The engine switch: the simulator, or on request the real kernel (costs stated first).
	const simulator = engine;
	const notice = (text: string, tone?: 'info' | 'error') => terminal.notice(text, tone);
	let check: ChapterCheckView | undefined;
	// The chapter check (and the normaliser it compares with) is its own chunk, fetched with the kernel.
	let checkModule: Promise<typeof import('./chapter-check-view.ts')> | undefined;
	const kernel: RealKernelView = new RealKernelView(data.realKernel, {
		start: (options) => {
			checkModule ??= import('./chapter-check-view.ts');
			return startRealKernel(data, options);
		},
		use: async (real) => {
			if (!check) {
				const { ChapterCheckView } = await (checkModule ??= import('./chapter-check-view.ts'));
				check = new ChapterCheckView(data.blocks, data.realKernel.recording, shell, () => show('terminal'), notice);
				kernel.actions.append(check.button);
				// Above the progress checks: while a check runs, it is what the reader follows.
				side.scroller.insertBefore(check.element, checks.element);
			}
			diagram.source('the real Linux kernel');
			const manifest = data.realKernel.manifest!;
			await shell.setEngine(
				watched(real, (reason) => void kernel.stop('broken', reason)),
				`Now on a real Linux kernel: ${manifest.kernel} (${manifest.release}) in v86, running in this page, with the ${data.lab.name} lab built afresh by sandbox.sh.`,
			);
			terminal.focus();
		},
		back: async () => {
			check?.cancel();
			diagram.source('the simulator');
			await simulator.reset();
			await shell.setEngine(simulator, 'Back on the simulator, with the lab as the chapter starts it.');
		},
		notice,
	});

	// The side column lays its parts out to fit (each scrolls on its own); it scrolls as a whole
	// only when even that cannot fit (a very short panel).
	const side = scrollBox('nb-tp-side', 'Diagram, packet walk and progress', diagram.element, walk.element, checks.element);
	body.append(h('div', { class: 'nb-tp-term' }, terminal.element), side.frame);
	container.replaceChildren(h('div', { class: 'nb-tp' }, kernel.element, panes, body));
	// Drawn from the lab definition at once; the simulator's own state replaces it when loaded.
	diagram.render(initialState(data.lab));

	terminal.notice(`The ${data.lab.name} lab of “${data.title}”, simulated in your browser (${data.lab.hosts.map((x) => x.name).join(', ')}). Type help for what the terminal can do.`);
	container.dataset['state'] = 'loading';
	const ready = shell.start().then(() => {
		container.dataset['state'] = 'ready';
	});

	return {
		shell,
		focus: () => terminal.focus(),
		async runBlock(index) {
			show('terminal');
			await ready;
			await shell.runBlock(index);
		},
		async runUpTo(index) {
			show('terminal');
			await ready;
			await shell.runUpTo(index);
			terminal.focus();
		},
	};
}
