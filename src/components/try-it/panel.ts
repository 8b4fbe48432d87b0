/**
 * The "Try it" panel, loaded on demand by loader.ts: the terminal, the live diagram with its
 * packet walk, and the chapter's progress, over the simulator engine.
 */
import type { TerminalEngine } from '../../lib/terminal/engine.ts';
import { initialState } from '../../lib/terminal/initial-state.ts';
import { Shell } from '../../lib/terminal/shell.ts';
import { createSimTerminalEngine, loadNetsim } from '../../lib/terminal/sim-engine.ts';
import { compileChecks } from '../../lib/terminal/progress.ts';
import { ChecksView } from './checks-view.ts';
import type { TryItData } from './data.ts';
import { DiagramView } from './diagram-view.ts';
import { h } from './dom.ts';
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

	// The side column lays its parts out to fit (each scrolls on its own); it scrolls as a whole
	// only when even that cannot fit (a very short panel).
	const side = scrollBox('nb-tp-side', 'Diagram, packet walk and progress', diagram.element, walk.element, checks.element);
	body.append(h('div', { class: 'nb-tp-term' }, terminal.element), side.frame);
	container.replaceChildren(h('div', { class: 'nb-tp' }, panes, body));
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
