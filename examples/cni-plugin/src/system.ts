/**
 * What the plugin asks of the machine it runs on: to run a program, to keep files, random bytes
 * and a hash. `main.ts` hands it Node's (`node-system.ts`); the book's simulator hands it its own,
 * so the very same code runs on a Raspberry Pi's kernel and against the simulated one in a page.
 */

/** How a program ended: its exit status (null when it did not start or was killed) and output. */
export interface Ran {
	status: number | null;
	stdout: string;
	stderr: string;
}

/**
 * The files host-local keeps. A failure throws an error carrying the errno name as `code`
 * (`ENOENT`, `EEXIST`…) and the call as `syscall`, as Node's `fs` does.
 */
export interface Files {
	/** `mkdir -p`. */
	mkdirp(dir: string): void;
	/** The names in a directory. */
	list(dir: string): string[];
	/** A file's text. */
	read(path: string): string;
	/** Writes a file; `exclusive` fails with EEXIST when it exists already (O_EXCL). */
	write(path: string, text: string, exclusive?: boolean): void;
	/** Removes a file; one that is not there is no error. */
	remove(path: string): void;
}

/** The machine, as the plugin sees it. */
export interface System {
	/** Runs a program with its arguments, no shell, and waits for it. */
	run(program: string, args: readonly string[]): Ran;
	files: Files;
	/** `bytes` random bytes as hex digits (the host end of a veth pair is `veth` and 8 of them). */
	randomHex(bytes: number): string;
	/** SHA-512 of a text, as hex digits (the nat chains are named after it). */
	sha512Hex(text: string): string;
}
