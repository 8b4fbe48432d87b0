/**
 * The panel's engine switch: the simulator by default, and on the reader's request a real Linux
 * kernel (Debian's i386 kernel in v86) whose costs are stated before anything of it loads. Starting
 * it imports the engine's module (its own chunk) and v86 from the site, with a progress bar; any
 * failure leaves the reader on the simulator with one line of why.
 */
import type { TerminalEngine } from '../../lib/terminal/engine.ts';
import type { RealKernelData } from './data.ts';
import { h } from './dom.ts';
import { browserFacts, megabytes, progressOf, reasonOf, refusal, Stall, tabMemoryMB, type StartProgress } from './real-kernel-support.ts';

/** The real kernel's engine, as the view hands it over: it must be closed when given up. */
export type ClosableEngine = TerminalEngine & { close(): Promise<void> };

/** Options of {@link startRealKernel}, as the panel knows them. */
export interface StartOptions {
	onProgress: (progress: StartProgress) => void;
	signal: AbortSignal;
}

/** What the view asks of the panel. */
export interface RealKernelHooks {
	/** Starts the engine (the panel knows the chapter and its lab). */
	start(options: StartOptions): Promise<ClosableEngine>;
	/** The engine is ready: the terminal moves onto it. */
	use(engine: ClosableEngine): Promise<void>;
	/** The reader goes back to the simulator (the real kernel is closed first). */
	back(): Promise<void>;
	/** Shows a line in the terminal too. */
	notice(text: string, tone?: 'info' | 'error'): void;
}

/** How long a download may make no progress, and how long restoring and building the lab may take, ms. */
export const DOWNLOAD_STALL_MS = 45_000;
export const START_STALL_MS = 240_000;

type State = 'off' | 'loading' | 'on';

let ids = 0;

/** The switch, its progress bar and its one line of why. */
export class RealKernelView {
	readonly element: HTMLElement;
	/** Buttons shown while the real kernel runs, beside "Back to the simulator" (the chapter check's). */
	readonly actions: HTMLElement;
	private readonly now: HTMLElement;
	private readonly toggle: HTMLButtonElement;
	private readonly more: HTMLElement;
	private readonly start: HTMLButtonElement | undefined;
	private readonly load: HTMLElement;
	private readonly bar: HTMLElement;
	private readonly fill: HTMLElement;
	private readonly status: HTMLElement;
	private readonly cancel: HTMLButtonElement;
	private readonly back: HTMLButtonElement;
	private readonly why: HTMLElement;
	private state: State = 'off';
	private engine: ClosableEngine | undefined;
	private attempt: AbortController | undefined;

	constructor(
		private readonly data: RealKernelData,
		private readonly hooks: RealKernelHooks,
	) {
		const id = `nb-tk-${++ids}`;
		const manifest = data.manifest;
		this.now = h('p', { class: 'nb-tk-now' });
		this.toggle = h(
			'button',
			{ type: 'button', class: 'nb-tk-toggle', 'aria-expanded': 'false', 'aria-controls': `${id}-more` },
			manifest ? `Real Linux kernel (${megabytes(manifest.bytes.total)})…` : 'Real Linux kernel…',
		);
		this.toggle.addEventListener('click', () => this.expand(this.toggle.getAttribute('aria-expanded') !== 'true'));
		const licences = h('a', { href: data.licences }, 'Licences and sources');
		if (manifest) {
			this.start = h('button', { type: 'button', class: 'nb-tk-start' }, 'Start the real kernel');
			this.start.addEventListener('click', () => void this.begin());
			this.more = h(
				'div',
				{ id: `${id}-more`, class: 'nb-tk-more', hidden: true },
				h(
					'p',
					{},
					'Run this chapter on Debian’s i386 Linux kernel (',
					h('code', {}, manifest.kernel),
					') inside this page, in the v86 emulator, with the lab built by the book’s own sandbox.sh. ',
					h('strong', {}, `A ${megabytes(manifest.bytes.total)} download`),
					'; it ',
					h('strong', {}, `uses about ${tabMemoryMB(manifest)} MB of memory`),
					` (its machine has ${manifest.memoryMiB} MB). Nothing of it loads until you start it. `,
					licences,
					'.',
				),
				h('p', { class: 'nb-tk-buttons' }, this.start),
			);
		} else {
			this.more = h(
				'div',
				{ id: `${id}-more`, class: 'nb-tk-more', hidden: true },
				h(
					'p',
					{},
					'The real Linux kernel (Debian’s i386 kernel in the page, under v86) is not in this build of the site. To add it, build its saved state, then the site: ',
					h('code', {}, 'npm run -s v86'),
					', then ',
					h('code', {}, 'npm run build'),
					'. ',
					licences,
					'.',
				),
			);
		}
		this.fill = h('span', { class: 'nb-tk-fill' });
		this.status = h('p', { id: `${id}-status`, class: 'nb-tk-status' });
		this.bar = h('div', { class: 'nb-tk-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', 'aria-labelledby': `${id}-status` }, this.fill);
		this.cancel = h('button', { type: 'button', class: 'nb-tk-cancel' }, 'Cancel');
		this.cancel.addEventListener('click', () => void this.stop('cancel'));
		this.load = h('div', { class: 'nb-tk-load', hidden: true }, this.bar, this.status, this.cancel);
		this.back = h('button', { type: 'button', class: 'nb-tk-back', hidden: true }, 'Back to the simulator');
		this.back.addEventListener('click', () => void this.stop('back'));
		this.actions = h('span', { class: 'nb-tk-actions', hidden: true });
		this.why = h('p', { class: 'nb-tk-why', role: 'alert', hidden: true });
		this.element = h(
			'section',
			{ class: 'nb-tk', 'aria-label': 'Engine', 'data-state': 'off', 'data-kernel': manifest ? 'built' : 'absent' },
			h('div', { class: 'nb-tk-row' }, this.now, this.toggle, this.actions, this.back),
			this.more,
			this.load,
			this.why,
		);
		this.paint();
	}

	/** True while the terminal runs on the real kernel. */
	get running(): boolean {
		return this.state === 'on';
	}

	private expand(open: boolean): void {
		this.more.hidden = !open;
		this.toggle.setAttribute('aria-expanded', String(open));
	}

	private paint(): void {
		this.element.dataset['state'] = this.state;
		this.now.replaceChildren('Engine: ', h('strong', {}, this.state === 'on' ? `real Linux kernel (${this.data.manifest?.kernel ?? ''}, v86)` : 'simulator'));
		this.toggle.hidden = this.state !== 'off';
		this.load.hidden = this.state !== 'loading';
		this.back.hidden = this.state !== 'on';
		this.actions.hidden = this.state !== 'on';
		if (this.state !== 'off') this.expand(false);
	}

	private progress(p: StartProgress): void {
		const { percent, text } = progressOf(p);
		this.bar.setAttribute('aria-valuenow', String(percent));
		this.bar.setAttribute('aria-valuetext', `${percent}%: ${text}`);
		this.fill.style.width = `${percent}%`;
		this.status.textContent = `${text} (${percent}%)`;
	}

	/** One visible line of why the real kernel is not running; the terminal says it too. */
	private fail(reason: string): void {
		const line = `The real Linux kernel did not start: ${reason}. You are still on the simulator.`;
		this.why.textContent = line;
		this.why.hidden = false;
		this.hooks.notice(line, 'error');
		this.why.scrollIntoView({ block: 'nearest' });
	}

	/** The reader chose the real kernel: checks, downloads, restores, builds the lab, hands over. */
	private async begin(): Promise<void> {
		const manifest = this.data.manifest;
		if (!manifest || this.state !== 'off') return;
		this.why.hidden = true;
		const refused = refusal(browserFacts(), manifest);
		if (refused) {
			this.fail(refused);
			this.toggle.focus();
			return;
		}
		const attempt = new AbortController();
		this.attempt = attempt;
		this.state = 'loading';
		this.paint();
		// The engine reports the saved state's bytes, by far the largest file.
		this.progress({ phase: 'download', loaded: 0, total: manifest.bytes.state });
		this.cancel.focus();
		let timedOut = '';
		const stall = new Stall(DOWNLOAD_STALL_MS, (ms) => {
			timedOut = `nothing happened for ${ms / 1000} s (${this.status.textContent?.replace(/ \(\d+%\)$/, '').replace(/…$/, '').toLowerCase()}), so the page gave up`;
			attempt.abort(new Error(timedOut));
		});
		try {
			const engine = await this.hooks.start({
				signal: attempt.signal,
				onProgress: (p) => {
					if (attempt.signal.aborted) return;
					stall.kick(p.phase === 'download' ? DOWNLOAD_STALL_MS : START_STALL_MS);
					this.progress(p);
				},
			});
			stall.stop();
			if (attempt.signal.aborted) {
				// Cancelled or timed out while the last step finished: give the machine back.
				await engine.close();
				if (timedOut) throw new Error(timedOut);
				return;
			}
			this.engine = engine;
			this.progress({ phase: 'lab', loaded: 1, total: 1 });
			// The switch says "real Linux kernel" once the terminal is on it (its lab drawn).
			await this.hooks.use(engine);
			if (this.engine !== engine) return;
			this.state = 'on';
			this.paint();
		} catch (e) {
			stall.stop();
			if (this.attempt !== attempt) return;
			this.state = 'off';
			this.paint();
			if (attempt.signal.aborted && !timedOut) return; // the reader cancelled
			this.fail(timedOut || reasonOf(e));
			this.toggle.focus();
		} finally {
			if (this.attempt === attempt) this.attempt = undefined;
		}
	}

	/**
	 * Back to the simulator: the reader asked (`back`, `cancel`), or the running kernel broke
	 * (`broken`, with its reason). The emulator is closed, its memory given back.
	 */
	async stop(why: 'back' | 'cancel' | 'broken', reason = ''): Promise<void> {
		// Cancelled while the terminal was already moving onto the kernel: that is going back.
		if (why === 'cancel' && !this.engine) {
			this.attempt?.abort();
			this.attempt = undefined;
			this.state = 'off';
			this.paint();
			this.hooks.notice('Cancelled: the real kernel was not started.');
			this.toggle.focus();
			return;
		}
		const engine = this.engine;
		this.engine = undefined;
		if (!engine) return;
		this.state = 'off';
		this.paint();
		this.why.textContent = `The real Linux kernel stopped answering: ${reason}. You are back on the simulator.`;
		this.why.hidden = why !== 'broken';
		await this.hooks.back();
		await engine.close().catch(() => undefined);
		this.toggle.focus();
	}
}
