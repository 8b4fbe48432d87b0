/** Argument helpers with iproute2's rules (keyword abbreviation by prefix). */

/** iproute2's matches(): `arg` is a non-empty prefix of `keyword`. */
export function matches(arg: string | undefined, keyword: string): boolean {
	if (arg === undefined || arg.length === 0) return false;
	return keyword.startsWith(arg);
}

/** A cursor over argv, as iproute2's NEXT_ARG() loop walks it. */
export class Args {
	private readonly argv: string[];
	i = 0;
	constructor(argv: string[]) {
		this.argv = argv;
	}
	/** The current word. */
	get cur(): string | undefined {
		return this.argv[this.i];
	}
	/** Words left, including the current one. */
	get left(): number {
		return this.argv.length - this.i;
	}
	/** Moves on and returns the next word, or undefined when argv ends. */
	next(): string | undefined {
		this.i++;
		return this.argv[this.i];
	}
	/** Everything from the current word. */
	rest(): string[] {
		return this.argv.slice(this.i);
	}
}
