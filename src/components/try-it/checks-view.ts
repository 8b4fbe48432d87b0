/**
 * The chapter's progress checks, evaluated after every command and remembered in localStorage;
 * the sidebar shows the same progress (sidebar-progress.ts).
 */
import type { LabState } from '../../lib/shared/lab-state.ts';
import { ProgressTracker, type Check } from '../../lib/terminal/progress.ts';
import { loadProgress, recordProgress } from '../../lib/terminal/progress-store.ts';
import type { CommandRecord } from '../../lib/terminal/shell.ts';
import { h } from './dom.ts';
import { PROGRESS_EVENT } from './sidebar-progress.ts';

function storage(): Storage | undefined {
	try {
		return window.localStorage;
	} catch {
		return undefined;
	}
}

/** The progress list. */
export class ChecksView {
	readonly element: HTMLElement;
	private readonly count: HTMLElement;
	private readonly items: Map<string, HTMLElement>;
	private readonly progress: ProgressTracker;
	private passed: Set<string>;

	constructor(
		private readonly chapter: string,
		private readonly checks: Check[],
	) {
		this.progress = new ProgressTracker(checks);
		this.passed = new Set(loadProgress(storage())[chapter]?.passed ?? []);
		this.count = h('p', { class: 'nb-tc-count', 'aria-live': 'polite' });
		this.items = new Map(checks.map((c) => [c.id, h('li', {}, h('span', { class: 'nb-tc-mark', 'aria-hidden': 'true' }), h('span', { class: 'nb-tc-sr nb-sr' }), c.label)]));
		this.element = h('section', { class: 'nb-tc', 'aria-label': 'Progress' }, h('h3', {}, 'Progress'), this.count, h('ul', {}, ...this.items.values()));
		this.paint();
	}

	/** The lab was built or replayed for the reader (start, reset, Run up to here): nothing earned. */
	settle(state: LabState): void {
		this.progress.settle(state);
	}

	/** The reader ran a command that left the lab in `state`: records the checks it earned. */
	command(record: CommandRecord, state: LabState): void {
		const earned = this.progress.command(record, state);
		if (earned.every((id) => this.passed.has(id))) return;
		const progress = recordProgress(storage(), this.chapter, earned, this.checks.length);
		this.passed = new Set(progress.passed);
		this.paint();
		document.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: { chapter: this.chapter } }));
	}

	private paint(): void {
		const done = this.checks.filter((c) => this.passed.has(c.id)).length;
		this.count.textContent = `${done} of ${this.checks.length} done${done === this.checks.length ? ': well done!' : ''}`;
		for (const [id, li] of this.items) {
			const pass = this.passed.has(id);
			li.dataset['pass'] = String(pass);
			li.querySelector('.nb-tc-mark')!.textContent = pass ? '✓' : '○';
			li.querySelector('.nb-tc-sr')!.textContent = pass ? 'Done: ' : 'Not yet: ';
		}
	}
}
