/**
 * The line editor: readline's everyday keys as a pure function of (line, cursor, key), so the
 * DOM layer only maps a native <input> to it and back. Keys it does not know are left to the
 * browser (typing, selection, copy and paste stay native).
 */

/** The line being edited and the cursor position in it (0 … text.length). */
export interface LineState {
	text: string;
	cursor: number;
}

/** A key press, as KeyboardEvent reports it. */
export interface KeyPress {
	key: string;
	ctrl?: boolean;
	alt?: boolean;
	shift?: boolean;
	meta?: boolean;
}

/** What the terminal must do besides editing the line. */
export type EditorAction =
	| 'submit'
	| 'interrupt'
	| 'clear-screen'
	| 'complete'
	| 'history-prev'
	| 'history-next'
	| 'eof';

/** The outcome of a key the editor handled. */
export interface EditResult {
	state: LineState;
	action?: EditorAction;
	/** Text cut by Ctrl-U/K/W, for Ctrl-Y. */
	killed?: string;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.\-/:]/.test(c);

/** Start of the word before the cursor (readline's unix-word-rubout stops at spaces). */
function wordStartBefore(text: string, cursor: number, spacesOnly: boolean): number {
	let i = cursor;
	const inWord = (c: string | undefined) => (spacesOnly ? c !== undefined && c !== ' ' : isWordChar(c));
	while (i > 0 && !inWord(text[i - 1])) i--;
	while (i > 0 && inWord(text[i - 1])) i--;
	return i;
}

function wordEndAfter(text: string, cursor: number): number {
	let i = cursor;
	while (i < text.length && !isWordChar(text[i])) i++;
	while (i < text.length && isWordChar(text[i])) i++;
	return i;
}

const at = (text: string, cursor: number): LineState => ({ text, cursor: Math.max(0, Math.min(cursor, text.length)) });

/**
 * Applies one key to the line. Returns undefined for keys the editor leaves to the browser
 * (printable characters, Shift-selection, Ctrl-C while text is selected: that is copy).
 * `killRing` is the last cut text, pasted back by Ctrl-Y.
 */
export function editKey(line: LineState, key: KeyPress, killRing = ''): EditResult | undefined {
	const { text, cursor } = line;
	if (key.meta) return undefined;
	if (key.ctrl && !key.alt) {
		switch (key.key.toLowerCase()) {
			case 'a':
				return { state: at(text, 0) };
			case 'e':
				return { state: at(text, text.length) };
			case 'b':
				return { state: at(text, cursor - 1) };
			case 'f':
				return { state: at(text, cursor + 1) };
			case 'u':
				return { state: at(text.slice(cursor), 0), killed: text.slice(0, cursor) };
			case 'k':
				return { state: at(text.slice(0, cursor), cursor), killed: text.slice(cursor) };
			case 'w': {
				const start = wordStartBefore(text, cursor, true);
				return { state: at(text.slice(0, start) + text.slice(cursor), start), killed: text.slice(start, cursor) };
			}
			case 'y':
				return { state: at(text.slice(0, cursor) + killRing + text.slice(cursor), cursor + killRing.length) };
			case 'h':
				return cursor > 0 ? { state: at(text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1) } : { state: line };
			case 'd':
				if (text === '') return { state: line, action: 'eof' };
				return { state: at(text.slice(0, cursor) + text.slice(cursor + 1), cursor) };
			case 'c':
				return { state: at('', 0), action: 'interrupt' };
			case 'l':
				return { state: line, action: 'clear-screen' };
			case 'p':
				return { state: line, action: 'history-prev' };
			case 'n':
				return { state: line, action: 'history-next' };
			case 'j':
			case 'm':
				return { state: line, action: 'submit' };
			default:
				return undefined;
		}
	}
	if (key.alt && !key.ctrl) {
		switch (key.key.toLowerCase()) {
			case 'b':
				return { state: at(text, wordStartBefore(text, cursor, false)) };
			case 'f':
				return { state: at(text, wordEndAfter(text, cursor)) };
			case 'd': {
				const end = wordEndAfter(text, cursor);
				return { state: at(text.slice(0, cursor) + text.slice(end), cursor), killed: text.slice(cursor, end) };
			}
			case 'backspace': {
				const start = wordStartBefore(text, cursor, false);
				return { state: at(text.slice(0, start) + text.slice(cursor), start), killed: text.slice(start, cursor) };
			}
			default:
				return undefined;
		}
	}
	// Shift-Tab stays the browser's: it moves focus out of the terminal (no keyboard trap).
	if (key.ctrl || key.alt || key.shift) return undefined;
	switch (key.key) {
		case 'Enter':
			return { state: line, action: 'submit' };
		case 'Tab':
			return { state: line, action: 'complete' };
		case 'ArrowUp':
			return { state: line, action: 'history-prev' };
		case 'ArrowDown':
			return { state: line, action: 'history-next' };
		case 'Home':
			return { state: at(text, 0) };
		case 'End':
			return { state: at(text, text.length) };
		default:
			return undefined;
	}
}

/** Command history: Up/Down walk it, and the line being typed is kept as a draft at the end. */
export class History {
	private entries: string[] = [];
	private index = 0;
	private draft = '';

	/** @param limit Entries kept (oldest dropped first). */
	constructor(private readonly limit = 500) {}

	/** Remembers a submitted line (not blanks, not a repeat of the previous one) and rewinds. */
	push(line: string): void {
		const text = line.trimEnd();
		if (text.trim() !== '' && this.entries.at(-1) !== text) this.entries.push(text);
		if (this.entries.length > this.limit) this.entries.shift();
		this.index = this.entries.length;
		this.draft = '';
	}

	/** The entry before the one shown (`current` is the line as edited now), or undefined at the top. */
	prev(current: string): string | undefined {
		if (this.index === 0) return undefined;
		if (this.index === this.entries.length) this.draft = current;
		return this.entries[--this.index];
	}

	/** The entry after the one shown, the draft past the newest, or undefined when already there. */
	next(): string | undefined {
		if (this.index >= this.entries.length) return undefined;
		this.index++;
		return this.index === this.entries.length ? this.draft : this.entries[this.index];
	}

	/** All entries, oldest first. */
	list(): readonly string[] {
		return this.entries;
	}
}
