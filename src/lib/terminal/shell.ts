/**
 * The terminal's shell: prompts naming the host, host switching (`ssh bob`, `exit`, `@bob cmd`),
 * the terminal's own commands (help, clear, reset, history, hosts), `\` continuations, one
 * command at a time, and replaying the chapter's blocks. Framework-free: it drives a
 * {@link ShellView} and an engine, so tests run it without a DOM.
 */
import { oneLine } from '../runbook/commands.ts';
import { complete, type Completion } from './complete.ts';
import { History } from './editor.ts';
import { helpText } from './help.ts';
import type { OutputChunk, TerminalEngine } from './engine.ts';
import type { LabState } from '../shared/lab-state.ts';
import { exitExpected, type ScriptBlock } from './script.ts';
import type { PacketTrace } from '../shared/trace.ts';
import { packetLeft } from './walk.ts';
import { unsudo } from './unsudo.ts';

/** What the shell draws on. The DOM terminal implements it; tests record it. */
export interface ShellView {
	/** A command line after its prompt, as typed or replayed. */
	echo(prompt: string, line: string): void;
	/** A program's output, as it arrives. */
	output(chunk: OutputChunk): void;
	/** The terminal's own words (help, host switches, replay summaries), apart from program output. */
	notice(text: string, tone?: 'info' | 'error'): void;
	/** A command exited non-zero. */
	exit(code: number): void;
	clear(): void;
	/** The prompt for the next line. */
	prompt(text: string): void;
	/** A command started (true) or the shell is ready for input again (false). */
	busy(running: boolean): void;
	/** A ping recorded a packet walk; `open` when the reader asked for it (`ping --trace`). */
	trace(trace: PacketTrace, open: boolean): void;
	/** Characters per line (bash's `$COLUMNS`), for lists laid out in columns; default 80. */
	columns?(): number;
}

/** A command that ran, for progress checks. */
export interface CommandRecord {
	host: string;
	line: string;
	exit: number;
	stdout: string;
}

/** One command of a block run for a check, with everything it printed. */
export interface CheckedStep {
	cmd: string;
	stdout: string;
	stderr: string;
	exit: number;
}

/** What the page does around each block of {@link Shell.check}. */
export interface CheckHooks {
	/** A block is about to run (`position` counts from 1 among the `count` blocks checked). */
	onBlock?: (block: ScriptBlock, position: number, count: number) => void;
	/** A block ran: its steps. The words returned are shown under it in the terminal (its verdict). */
	onBlockDone?: (block: ScriptBlock, steps: CheckedStep[]) => { text: string; tone?: 'info' | 'error' } | undefined;
}

/** How a line reaches the engine: typed by the reader, replayed quietly, or run for a check. */
type RunMode = 'reader' | 'replay' | 'check';

/** Options of {@link Shell}. */
export interface ShellOptions {
	/** The chapter's blocks, for "Run in the terminal" and "Run up to here". */
	blocks?: ScriptBlock[];
	/** First host to type on (default: the engine's first host). */
	host?: string;
	/** Called when the network state changed after a command. */
	onState?: (state: LabState) => void;
	/**
	 * Called after every command the reader ran (typed, pasted, or from a block's Run button), once
	 * the state after it is known ({@link Shell.state}); never for the quiet replay of "Run up to here".
	 */
	onCommand?: (record: CommandRecord) => void;
	/**
	 * Called when the lab was built for the reader rather than changed by their commands: at start,
	 * after `reset`, and after "Run up to here" replayed the blocks before one. Progress checks take
	 * what holds then as given, not earned.
	 */
	onSettle?: (state: LabState) => void;
}

/** The shell behind the in-page terminal. */
export class Shell {
	readonly history = new History();
	/** Host the next command runs on. */
	host: string;
	private readonly stack: string[] = [];
	private pending: string[] = [];
	private queue: Promise<void> = Promise.resolve();
	private running: AbortController | undefined;
	private lastState: LabState | undefined;
	private lastStateJson = '';
	private readonly blocks: ScriptBlock[];

	constructor(
		private engine: TerminalEngine,
		private readonly view: ShellView,
		private readonly options: ShellOptions = {},
	) {
		this.blocks = options.blocks ?? [];
		this.host = options.host ?? engine.hosts()[0] ?? 'localhost';
		view.prompt(this.prompt);
	}

	/** The prompt: `root@alice:~# `, or `> ` inside a continued line. */
	get prompt(): string {
		return this.pending.length ? '> ' : `root@${this.host}:~# `;
	}

	/** Network state after the last command (undefined before the first one). */
	get state(): LabState | undefined {
		return this.lastState;
	}

	/** True while a command or a replay is running. */
	get busy(): boolean {
		return this.running !== undefined;
	}

	/** Runs `job` after whatever is queued; the view is busy meanwhile. */
	private enqueue(job: (signal: AbortSignal) => Promise<void>): Promise<void> {
		const next = this.queue.then(async () => {
			const controller = new AbortController();
			this.running = controller;
			this.view.busy(true);
			try {
				await job(controller.signal);
			} catch (e) {
				this.view.notice(`The ${this.engine.name} failed: ${(e as Error).message}`, 'error');
			} finally {
				this.running = undefined;
				this.view.busy(false);
				this.view.prompt(this.prompt);
			}
		});
		this.queue = next;
		return next;
	}

	/**
	 * A line the reader typed (or pasted): echoed after the prompt, then run. A line ending in
	 * `\` waits for its continuation under a `> ` prompt. Lines queue behind a running command.
	 */
	submit(line: string): Promise<void> {
		return this.enqueue(async (signal) => {
			this.view.echo(this.prompt, line);
			this.history.push(line);
			if (/(^|[^\\])(\\\\)*\\$/.test(line)) {
				this.pending.push(line);
				return;
			}
			const full = oneLine([...this.pending, line].join('\n'));
			this.pending = [];
			await this.execute(full, signal);
		});
	}

	/** Pasted text: each line is submitted in turn, as a shell reads a paste. */
	async paste(text: string): Promise<void> {
		const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
		for (const line of lines) await this.submit(line);
	}

	/**
	 * Ctrl-C: skips the running command to its end (the simulator has already run it), or drops
	 * the line being typed, as bash does (`^C` and a fresh prompt).
	 */
	interrupt(typed = ''): void {
		if (this.running) {
			this.running.abort();
			return;
		}
		this.view.echo(this.prompt, `${typed}^C`);
		this.pending = [];
		this.view.prompt(this.prompt);
	}

	/** Ctrl-D on an empty line: like `exit`. */
	eof(): Promise<void> {
		return this.submit('exit');
	}

	/** Candidates for Tab at `cursor` in `line`, from the lab's current state. */
	complete(line: string, cursor: number): Completion {
		const commands = [...(this.engine.commands?.() ?? []), 'clear', 'exit', 'help', 'history', 'hosts', 'reset', 'ssh'].sort();
		return complete(line, cursor, { host: this.host, hosts: this.engine.hosts(), commands, state: this.lastState });
	}

	/** Switches the prompt to `host` (a "Run" button does this before its block). */
	private switchTo(host: string): void {
		if (host === this.host) return;
		this.host = host;
		this.view.notice(`(now on ${host})`);
	}

	/** Runs one folded line: the terminal's own commands here, the rest on the engine. */
	private async execute(input: string, signal: AbortSignal): Promise<void> {
		let line = input.trim();
		let host = this.host;
		if (line === '' || line.startsWith('#')) return;
		const at = /^@(\S+)\s*(.*)$/.exec(line);
		if (at) {
			if (!this.engine.hosts().includes(at[1]!)) return this.view.notice(`no host "${at[1]}" in this lab: ${this.engine.hosts().join(', ')}`, 'error');
			host = at[1]!;
			line = at[2]!;
			if (line === '') return this.switchTo(host);
		}
		// The page copies commands with sudo when asked to; here everyone is root already.
		const sudo = /^sudo(?=\s|$)/.test(line) ? unsudo(line) : undefined;
		if (sudo?.shell) return this.view.notice('You are root already: this terminal’s shell is root’s, so sudo has no other shell to start.');
		if (sudo && sudo.line === '') return this.view.notice('sudo needs a command to run; here everyone is root already, so type the command itself.');
		if (sudo) line = sudo.line;
		const [word, ...args] = line.split(/\s+/);
		switch (word) {
			case 'help':
				return this.view.notice(helpText(this.engine.commands?.() ?? [], this.view.columns?.() ?? 80, this.engine.name));
			case 'clear':
				return this.view.clear();
			case 'hosts':
				return this.view.notice(this.engine.hosts().join('  '));
			case 'history':
				return this.view.notice(this.history.list().map((h, i) => `${String(i + 1).padStart(5)}  ${h}`).join('\n'));
			case 'reset':
				await this.engine.reset();
				this.stack.length = 0;
				this.host = this.options.host ?? this.engine.hosts()[0] ?? this.host;
				this.view.notice('The lab is back as the chapter starts it.');
				return this.settle();
			case 'ssh': {
				const target = args.find((a) => !a.startsWith('-'))?.replace(/^.*@/, '');
				if (!target) return this.fail('usage: ssh HOST', 255);
				if (!this.engine.hosts().includes(target)) return this.fail(`ssh: Could not resolve hostname ${target}: Name or service not known`, 255);
				this.stack.push(this.host);
				this.host = target;
				return;
			}
			case 'exit':
			case 'logout': {
				const back = this.stack.pop();
				if (back) {
					this.view.output({ stream: 'stdout', text: `logout\nConnection to ${this.host} closed.\n` });
					this.host = back;
				} else this.view.notice('This is the first machine you logged in to: there is nowhere to exit to. Use ssh HOST to move.');
				return;
			}
		}
		await this.runOnEngine(host, line, signal, 'reader');
	}

	private fail(message: string, code: number): void {
		this.view.output({ stream: 'stderr', text: `${message}\n` });
		this.view.exit(code);
	}

	/**
	 * Runs a line on the engine. The reader's lines and a check's show their output and the
	 * state after them; only the reader's count for progress. A replay shows nothing.
	 */
	private async runOnEngine(host: string, input: string, signal: AbortSignal, mode: RunMode): Promise<CheckedStep> {
		const show = mode !== 'replay';
		const wantTrace = mode === 'reader' && /^(ip\s+netns\s+exec\s+\S+\s+)?ping(\s.*)?\s--trace(\s|$)/.test(input);
		const line = wantTrace ? input.replace(/\s--trace(?=\s|$)/, '') : input;
		let stdout = '';
		let stderr = '';
		const result = await this.engine.run(host, line, {
			signal,
			onOutput: (chunk) => {
				if (chunk.stream === 'stdout') stdout += chunk.text;
				else stderr += chunk.text;
				if (show) this.view.output(chunk);
			},
		});
		const step = { cmd: line, stdout, stderr, exit: result.exit };
		if (!show) return step;
		if (result.exit !== 0) this.view.exit(result.exit);
		if (result.note) this.view.notice(result.note);
		// A walk is offered only for a packet that left: a ping refused before sending has none.
		if (result.trace && packetLeft(result.trace)) this.view.trace(result.trace, wantTrace);
		else if (wantTrace && result.trace) this.view.notice('No packet left, so there is no walk to show.');
		else if (wantTrace) this.view.notice(`The ${this.engine.name} recorded no packet walk for this command.`);
		await this.refreshState();
		if (mode === 'reader') this.options.onCommand?.({ host, line, exit: result.exit, stdout });
		return step;
	}

	/** Asks the engine for the state and tells the page when it changed. */
	private async refreshState(): Promise<void> {
		const state = await this.engine.state();
		const json = JSON.stringify(state);
		this.lastState = state;
		if (json === this.lastStateJson) return;
		this.lastStateJson = json;
		this.options.onState?.(state);
	}

	/** Refreshes the state after the lab was built or replayed for the reader, and says so. */
	private async settle(): Promise<void> {
		await this.refreshState();
		if (this.lastState) this.options.onSettle?.(this.lastState);
	}

	/** Loads the state once, e.g. to draw the diagram before the first command. */
	async start(): Promise<void> {
		await this.enqueue(() => this.settle());
	}

	/** The engine commands run on now. */
	get engineName(): string {
		return this.engine.name;
	}

	/**
	 * Hands the terminal to another engine (the simulator or the real kernel), after whatever is
	 * queued: its lab as it starts, the prompt back on the first host. History stays; `said` is
	 * the notice that tells the reader what changed.
	 */
	setEngine(engine: TerminalEngine, said: string): Promise<void> {
		this.running?.abort();
		return this.enqueue(async () => {
			this.engine = engine;
			this.pending = [];
			this.stack.length = 0;
			this.host = this.options.host ?? engine.hosts()[0] ?? this.host;
			this.lastStateJson = '';
			this.view.notice(said);
			await this.settle();
		});
	}

	/** "Run in the terminal": runs one block's commands on its host, as if typed. */
	runBlock(index: number): Promise<void> {
		this.running?.abort();
		const block = this.blocks.find((b) => b.index === index);
		if (!block) return Promise.resolve();
		return this.enqueue(async () => {
			this.pending = [];
			this.switchTo(block.host);
			for (const command of block.commands) {
				// Each command gets its own signal: Ctrl-C skips one command, not the block.
				const controller = new AbortController();
				this.running = controller;
				this.view.prompt(this.prompt);
				this.view.echo(this.prompt, command);
				this.history.push(command);
				await this.runOnEngine(block.host, command, controller.signal, 'reader');
			}
		});
	}

	/**
	 * "Run up to here": a fresh lab, then every runnable block before `index`, quietly and at
	 * full speed, so the reader can pick up at that block. Unexpected exits are reported.
	 */
	runUpTo(index: number): Promise<void> {
		this.running?.abort();
		return this.enqueue(async () => {
			this.pending = [];
			await this.engine.reset();
			this.stack.length = 0;
			const before = this.blocks.filter((b) => b.runnable && b.index < index);
			const skip = AbortSignal.abort();
			const problems: string[] = [];
			let count = 0;
			for (const block of before)
				for (const [i, command] of block.commands.entries()) {
					const { exit } = await this.runOnEngine(block.host, command, skip, 'replay');
					count++;
					if (!exitExpected(block, i, exit)) problems.push(`  block ${block.index + 1} on ${block.host}: ${command} (exit ${exit})`);
				}
			const target = this.blocks.find((b) => b.index === index);
			if (target) this.host = target.host;
			const what = before.length ? `replayed ${count} commands of ${before.length} blocks` : 'nothing to replay before this block';
			this.view.notice(`Fresh lab; ${what}. Ready for block ${index + 1}.`);
			if (problems.length) this.view.notice(`Some commands did not do what the chapter expects:\n${problems.join('\n')}`, 'error');
			await this.settle();
		});
	}

	/**
	 * Runs `blocks` on a fresh lab, one command after another as if typed, and hands each block's
	 * outputs to `hooks` (the page compares them with a recording). Ctrl-C interrupts the running
	 * command; `stop` ends the check after it. Nothing of it counts as the reader's progress.
	 * Resolves true when every block ran, false when stopped.
	 */
	async check(blocks: readonly ScriptBlock[], hooks: CheckHooks, stop: AbortSignal): Promise<boolean> {
		this.running?.abort();
		let finished = false;
		await this.enqueue(async () => {
			this.pending = [];
			await this.engine.reset();
			this.stack.length = 0;
			this.view.notice(`Fresh lab: running the chapter's ${blocks.length} blocks on the ${this.engine.name}.`);
			for (const [n, block] of blocks.entries()) {
				if (stop.aborted) break;
				hooks.onBlock?.(block, n + 1, blocks.length);
				this.switchTo(block.host);
				const steps: CheckedStep[] = [];
				for (const command of block.commands) {
					if (stop.aborted) break;
					// Each command gets its own signal: Ctrl-C interrupts one command; stop interrupts it too.
					const controller = new AbortController();
					const interrupt = () => controller.abort();
					stop.addEventListener('abort', interrupt, { once: true });
					this.running = controller;
					this.view.prompt(this.prompt);
					this.view.echo(this.prompt, command);
					try {
						steps.push(await this.runOnEngine(block.host, command, controller.signal, 'check'));
					} finally {
						stop.removeEventListener('abort', interrupt);
					}
				}
				if (stop.aborted) break;
				const verdict = hooks.onBlockDone?.(block, steps);
				if (verdict) this.view.notice(verdict.text, verdict.tone);
			}
			finished = !stop.aborted;
			await this.settle();
		});
		return finished;
	}
}
