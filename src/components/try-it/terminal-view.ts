/**
 * The terminal on the page: a `role="log"` transcript that screen readers follow, and a native
 * text input for the line being typed (so selection, copy and paste, IME and phone keyboards all
 * work as usual), with readline keys mapped onto it by src/lib/terminal/editor.ts.
 */
import { columns } from '../../lib/terminal/columns.ts';
import { applyCompletion } from '../../lib/terminal/complete.ts';
import { editKey, type KeyPress } from '../../lib/terminal/editor.ts';
import type { OutputChunk } from '../../lib/terminal/engine.ts';
import type { Shell, ShellView } from '../../lib/terminal/shell.ts';
import type { PacketTrace } from '../../lib/shared/trace.ts';
import { h } from './dom.ts';

/** Lines kept in the transcript; older ones go, so a long session stays fast. */
const MAX_ENTRIES = 800;

let ids = 0;

/** The DOM terminal; call {@link TerminalView.connect} with its shell before use. */
export class TerminalView implements ShellView {
	readonly element: HTMLElement;
	readonly log: HTMLElement;
	readonly input: HTMLInputElement;
	private readonly label: HTMLLabelElement;
	private readonly skip: HTMLButtonElement;
	private shell!: Shell;
	private out: HTMLElement | undefined;
	private killRing = '';
	/** After Esc, the next Tab leaves the terminal instead of completing. */
	private tabLeaves = false;
	/** The last key was a Tab that changed nothing: the next one lists the candidates (bash's second Tab). */
	private tabAgain = false;
	/** The log keeps its last line in view, until the reader scrolls up to read. */
	private follow = true;
	/** Measures characters in the log's font. */
	private ruler: CanvasRenderingContext2D | null | undefined;
	/** The scrollTop this view set last: a scroll event that finds it there was ours, not the reader's. */
	private pinnedTop = -1;

	/** @param onTrace Shows a packet walk (the diagram side of the panel). */
	constructor(private readonly onTrace: (trace: PacketTrace) => void) {
		const id = `nb-term-${++ids}`;
		this.log = h('div', { class: 'nb-tl-log', role: 'log', 'aria-label': 'Terminal output', tabindex: '0' });
		this.label = h('label', { class: 'nb-tl-prompt', for: `${id}-input` });
		this.input = h('input', {
			id: `${id}-input`,
			class: 'nb-tl-input',
			type: 'text',
			autocomplete: 'off',
			autocapitalize: 'off',
			autocorrect: 'off',
			spellcheck: 'false',
			enterkeyhint: 'send',
			'aria-describedby': `${id}-help`,
		});
		this.skip = h('button', { type: 'button', class: 'nb-tl-skip', hidden: true }, 'Skip ahead (Esc)');
		const help = h('p', { id: `${id}-help`, class: 'nb-sr' }, 'Type a command and press Enter. Tab completes, Up and Down recall commands, Escape then Tab leaves the terminal. Type help for more.');
		const keys = h('div', { class: 'nb-tl-keys', role: 'group', 'aria-label': 'Terminal keys' });
		for (const [text, key, label] of [
			['Tab', { key: 'Tab' }, 'Tab: complete'],
			['↑', { key: 'ArrowUp' }, 'Previous command'],
			['↓', { key: 'ArrowDown' }, 'Next command'],
			['^C', { key: 'c', ctrl: true }, 'Control C'],
		] as const) {
			const b = h('button', { type: 'button', 'aria-label': label }, text);
			// Keep the focus (and the phone keyboard) in the input.
			b.addEventListener('pointerdown', (e) => e.preventDefault());
			b.addEventListener('click', () => {
				this.key({ ...key });
				this.input.focus();
			});
			keys.append(b);
		}
		this.element = h(
			'div',
			{ class: 'nb-tl' },
			this.log,
			h('div', { class: 'nb-tl-line' }, this.label, this.input, this.skip),
			keys,
			help,
		);
		this.input.addEventListener('keydown', (e) => {
			if (e.isComposing) return;
			if (this.key({ key: e.key, ctrl: e.ctrlKey, alt: e.altKey, shift: e.shiftKey, meta: e.metaKey })) e.preventDefault();
		});
		this.input.addEventListener('paste', (e) => {
			const text = e.clipboardData?.getData('text/plain') ?? '';
			if (!/[\r\n]/.test(text) || this.shell.busy) return;
			e.preventDefault();
			const before = this.input.value.slice(0, this.input.selectionStart ?? 0);
			const after = this.input.value.slice(this.input.selectionEnd ?? this.input.value.length);
			this.set('', 0);
			void this.shell.paste(before + text + after);
		});
		this.skip.addEventListener('click', () => this.shell.interrupt());
		// Only the reader moves the log off its last line: content growing under a pinned log fires
		// no scroll event, and our own pinning is recognised by the position it left.
		this.log.addEventListener('scroll', () => {
			const log = this.log;
			if (log.scrollHeight - log.scrollTop - log.clientHeight < 8) this.follow = true;
			else if (log.scrollTop !== this.pinnedTop) this.follow = false;
		});
		// A pane shown again, or a panel resized, must not leave a following log off its last line.
		if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.follow && this.pin()).observe(this.log);
		// A click in the transcript (not a selection) puts the cursor back on the line.
		this.log.addEventListener('click', () => {
			if (!window.getSelection()?.toString()) this.input.focus({ preventScroll: true });
		});
	}

	/** Wires the view to its shell. */
	connect(shell: Shell): void {
		this.shell = shell;
	}

	private set(text: string, cursor: number): void {
		this.input.value = text;
		this.input.setSelectionRange(cursor, cursor);
	}

	/** Handles one key; true when it was the terminal's (the browser must not act on it). */
	key(press: KeyPress): boolean {
		const shell = this.shell;
		if (shell.busy) {
			const stop = press.key === 'Escape' || (press.ctrl && press.key.toLowerCase() === 'c' && !this.hasSelection());
			if (stop) shell.interrupt();
			return stop || press.key === 'Enter';
		}
		if (press.key === 'Escape') {
			this.tabLeaves = true;
			return false;
		}
		const leaving = this.tabLeaves && press.key === 'Tab';
		this.tabLeaves = false;
		const again = this.tabAgain;
		this.tabAgain = false;
		if (leaving) return false;
		// Ctrl-C with text selected in the line is copy, as everywhere else.
		if (press.ctrl && press.key.toLowerCase() === 'c' && this.hasSelection()) return false;
		const text = this.input.value;
		const result = editKey({ text, cursor: this.input.selectionStart ?? text.length }, press, this.killRing);
		if (!result) return false;
		if (result.killed) this.killRing = result.killed;
		this.set(result.state.text, result.state.cursor);
		switch (result.action) {
			case 'submit':
				this.set('', 0);
				void shell.submit(text);
				break;
			case 'interrupt':
				shell.interrupt(text);
				break;
			case 'clear-screen':
				this.clear();
				break;
			case 'eof':
				void shell.eof();
				break;
			case 'history-prev': {
				const prev = shell.history.prev(text);
				if (prev !== undefined) this.set(prev, prev.length);
				break;
			}
			case 'history-next': {
				const next = shell.history.next();
				if (next !== undefined) this.set(next, next.length);
				break;
			}
			case 'complete': {
				const cursor = result.state.cursor;
				const done = applyCompletion(text, cursor, shell.complete(text, cursor), again);
				this.set(done.text, done.cursor);
				this.tabAgain = done.text === text;
				if (done.bell) this.bell();
				if (done.list) {
					this.echo(shell.prompt, text);
					this.note(columns(done.list, this.columns()).join('\n'), 'nb-tl-list');
				}
				break;
			}
		}
		return true;
	}

	/** The terminal bell, seen rather than heard: the command line flashes once. */
	private bell(): void {
		const line = this.input.parentElement!;
		line.classList.remove('nb-tl-bell');
		// Restart the animation when Tab is pressed again before it ended.
		void line.offsetWidth;
		line.classList.add('nb-tl-bell');
	}

	/** Characters that fit on one line of the log (bash's `$COLUMNS`), measured in its font. */
	columns(): number {
		const style = getComputedStyle(this.log);
		const width = this.log.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
		const canvas = (this.ruler ??= document.createElement('canvas').getContext('2d'));
		if (!canvas) return 80;
		canvas.font = style.font;
		const ch = canvas.measureText('0'.repeat(100)).width / 100;
		// A hidden pane has no width: lay out for a classic terminal.
		return width > 0 && ch > 0 ? Math.max(20, Math.floor(width / ch)) : 80;
	}

	private hasSelection(): boolean {
		return (this.input.selectionStart ?? 0) !== (this.input.selectionEnd ?? 0);
	}

	/** Scrolls the log to its last line. */
	private pin(): void {
		this.log.scrollTop = this.log.scrollHeight;
		this.pinnedTop = this.log.scrollTop;
	}

	/** Appends to the transcript, following it unless the reader scrolled up. */
	private append(el: HTMLElement): void {
		const log = this.log;
		log.append(el);
		while (log.childElementCount > MAX_ENTRIES) log.firstElementChild?.remove();
		if (this.follow) this.pin();
	}

	private note(text: string, className: string): void {
		this.out = undefined;
		this.append(h('div', { class: className }, text));
	}

	echo(prompt: string, line: string): void {
		// A new command line (typed, pasted or from a Run button) is the reader's: show what it does.
		this.follow = true;
		this.out = undefined;
		this.append(h('div', { class: 'nb-tl-echo' }, h('span', { class: 'nb-tl-ps' }, prompt), line));
	}

	output(chunk: OutputChunk): void {
		if (!this.out) {
			this.out = h('div', { class: 'nb-tl-out' });
			this.append(this.out);
		}
		const last = this.out.lastElementChild as HTMLElement | null;
		const cls = `nb-tl-${chunk.stream}`;
		// A carriage return before a newline (HTTP headers from curl -I) moves a terminal's cursor, nothing more.
		const text = chunk.text.replace(/\r+(?=\n|$)/g, '');
		if (last?.className === cls) last.append(text);
		else this.out.append(h('span', { class: cls }, text));
		if (this.follow) this.pin();
	}

	notice(text: string, tone: 'info' | 'error' = 'info'): void {
		this.note(text, tone === 'error' ? 'nb-tl-note nb-tl-error' : 'nb-tl-note');
	}

	exit(code: number): void {
		(this.out ?? this.log.lastElementChild ?? this.log).append(h('span', { class: 'nb-tl-exit' }, `exit ${code}`));
		if (this.follow) this.pin();
	}

	clear(): void {
		this.out = undefined;
		this.follow = true;
		this.log.replaceChildren();
	}

	prompt(text: string): void {
		this.label.textContent = text;
	}

	busy(running: boolean): void {
		this.input.readOnly = running;
		this.skip.hidden = !running;
		this.log.setAttribute('aria-busy', String(running));
		this.element.dataset['busy'] = String(running);
		if (!running) this.out = undefined;
	}

	trace(trace: PacketTrace, open: boolean): void {
		const button = h('button', { type: 'button', class: 'nb-tl-walk' }, 'Walk this packet on the diagram');
		button.addEventListener('click', () => this.onTrace(trace));
		this.append(h('div', { class: 'nb-tl-note' }, button));
		if (open) this.onTrace(trace);
	}

	/** Puts the cursor on the command line. */
	focus(): void {
		this.input.focus({ preventScroll: true });
	}
}
