/**
 * "Check this chapter on the real kernel": the chapter's runnable blocks run one after another in
 * the page's kernel on a fresh lab, visibly in the terminal, and each block's outputs are compared
 * with what the v86 target recorded (src/lib/snapshot/run-check.ts, verify's normalisation). The
 * list beside the terminal marks each block ✓ or shows what differs, the current one in view.
 */
import type { CheckRecording } from '../../lib/snapshot/run-check.ts';
import { RunCheck, summaryText, tally, type BlockVerdict, type CheckSummary } from '../../lib/snapshot/run-check.ts';
import type { ScriptBlock } from '../../lib/terminal/script.ts';
import type { Shell } from '../../lib/terminal/shell.ts';
import { h } from './dom.ts';
import { scrollBox, type ScrollBox } from './scroll-box.ts';

/** The target whose recordings the page's kernel is checked against. */
const TARGET = 'v86';

const MARK = { pending: '○', running: '…', match: '✓', differ: '✗', unrecorded: '–' } as const;
const SAID = { pending: 'Not run yet: ', running: 'Running: ', match: 'Matches: ', differ: 'Differs: ', unrecorded: 'Not recorded on v86: ' } as const;
type Mark = keyof typeof MARK;

/** The check's button (for the engine row) and its list (for the side column). */
export class ChapterCheckView {
	readonly button: HTMLButtonElement;
	readonly element: HTMLElement;
	private readonly status: HTMLElement;
	private readonly list: HTMLOListElement;
	private readonly box: ScrollBox;
	private readonly items = new Map<number, HTMLLIElement>();
	private stop: AbortController | undefined;
	private recording: Promise<CheckRecording> | undefined;

	/**
	 * @param blocks The chapter's blocks (the runnable ones are checked).
	 * @param recordingHref Where the build put the v86 recording of this chapter.
	 * @param shell The terminal's shell, on the real kernel when the check runs.
	 * @param onStart Called as a check starts (the panel shows the terminal).
	 * @param notice Shows a line in the terminal (the check's summary).
	 */
	constructor(
		private readonly blocks: readonly ScriptBlock[],
		private readonly recordingHref: string,
		private readonly shell: Shell,
		private readonly onStart: () => void,
		private readonly notice: (text: string, tone?: 'info' | 'error') => void,
	) {
		this.button = h('button', { type: 'button', class: 'nb-tk-check' }, 'Check this chapter on the real kernel');
		this.button.addEventListener('click', () => void (this.stop ? this.cancel() : this.run()));
		this.status = h('p', { class: 'nb-tx-status', role: 'status' });
		this.list = h('ol', { class: 'nb-tx-list' });
		this.box = scrollBox('nb-tx-view', 'Blocks checked on the real kernel', this.list);
		this.element = h('section', { class: 'nb-tx', 'aria-label': 'Check on the real kernel', hidden: true }, h('h3', {}, 'Check on the real kernel'), this.status, this.box.frame);
	}

	/** True while a check runs. */
	get checking(): boolean {
		return this.stop !== undefined;
	}

	/** Ends a running check after its current command. */
	cancel(): void {
		this.stop?.abort();
	}

	private fetchRecording(): Promise<CheckRecording> {
		this.recording ??= fetch(this.recordingHref).then(async (r) => {
			if (!r.ok) throw new Error(`HTTP ${r.status}`);
			return (await r.json()) as CheckRecording;
		});
		// A failed fetch is tried again next time.
		this.recording.catch(() => (this.recording = undefined));
		return this.recording;
	}

	private item(block: ScriptBlock): HTMLLIElement {
		const li = h(
			'li',
			{ 'data-block': String(block.index) },
			h('span', { class: 'nb-tx-mark', 'aria-hidden': 'true' }),
			h('span', { class: 'nb-tx-sr nb-sr' }),
			`Block ${block.index + 1}`,
			h('span', { class: 'nb-tx-where' }, ` (line ${block.line}, on ${block.host})`),
		);
		this.items.set(block.index, li);
		return li;
	}

	private mark(index: number, mark: Mark, detail?: HTMLElement): void {
		const li = this.items.get(index);
		if (!li) return;
		li.dataset['mark'] = mark;
		li.querySelector('.nb-tx-mark')!.textContent = MARK[mark];
		li.querySelector('.nb-tx-sr')!.textContent = SAID[mark];
		if (mark === 'running') li.setAttribute('aria-current', 'step');
		else li.removeAttribute('aria-current');
		if (detail) li.append(detail);
		if (mark === 'running') this.reveal(li);
	}

	/**
	 * Keeps the block being checked in view: in the list's own box and in the side column around
	 * it (the panel is fixed in the window, so the page itself does not move).
	 */
	private reveal(li: HTMLElement): void {
		if (li.getClientRects().length) li.scrollIntoView({ block: 'nearest', inline: 'nearest' });
		this.box.update();
	}

	private verdictDetail(verdict: BlockVerdict): HTMLElement | undefined {
		if (verdict.status === 'unrecorded') return h('span', { class: 'nb-tx-note' }, ': not recorded on v86');
		if (verdict.status === 'match') return undefined;
		const what = verdict.timing ? 'A neighbour state that time decides' : 'What differs';
		return h('details', { class: 'nb-tx-diff' }, h('summary', {}, `${what} (- recorded on v86, + this page, normalised)`), h('pre', {}, verdict.diff));
	}

	/** Runs the check: a fresh lab, every runnable block in order, each compared as it ends. */
	async run(): Promise<void> {
		if (this.stop) return;
		const stop = new AbortController();
		this.stop = stop;
		this.button.textContent = 'Stop the check';
		this.element.hidden = false;
		this.onStart();
		const runnable = this.blocks.filter((b) => b.runnable);
		this.items.clear();
		this.list.replaceChildren(...runnable.map((b) => this.item(b)));
		for (const b of runnable) this.mark(b.index, 'pending');
		this.box.update();
		const summary: CheckSummary = { match: 0, differ: 0, timing: 0, unrecorded: 0 };
		try {
			this.status.textContent = 'Fetching the recording made on v86…';
			const check = new RunCheck(await this.fetchRecording());
			const finished = await this.shell.check(
				runnable,
				{
					onBlock: (block, n, count) => {
						this.mark(block.index, 'running');
						this.status.textContent = `Running block ${block.index + 1} (${n} of ${count})…`;
					},
					onBlockDone: (block, steps) => {
						const verdict = check.compare(block.index, steps);
						tally(summary, verdict);
						this.mark(block.index, verdict.status, this.verdictDetail(verdict));
						const n = block.index + 1;
						if (verdict.status === 'match') return { text: `✓ Block ${n} matches the recording made on v86.` };
						if (verdict.status === 'unrecorded') return { text: `Block ${n} is not recorded on v86: nothing to compare it with.` };
						const how = verdict.timing ? ' only in a neighbour state that time decides (the page’s kernel keeps its own pace)' : '';
						return { text: `✗ Block ${n} differs from the recording made on v86${how} (- recorded, + this page, normalised):\n${verdict.diff}`, tone: 'error' };
					},
				},
				stop.signal,
			);
			const text = summaryText(summary, TARGET);
			this.status.textContent = finished ? text : `Stopped. So far: ${text}`;
			this.notice(finished ? `Check done: ${text}` : `Check stopped. So far: ${text}`, summary.differ ? 'error' : 'info');
		} catch (e) {
			this.status.textContent = `The check could not start: the recording made on v86 did not load (${(e as Error).message}).`;
		} finally {
			for (const [index, li] of this.items) if (li.dataset['mark'] === 'running') this.mark(index, 'pending');
			this.stop = undefined;
			this.button.textContent = 'Check this chapter on the real kernel';
		}
	}
}
