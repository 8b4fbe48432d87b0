import { oneLine } from './commands.ts';
import { shellCommands } from './programs.ts';

/**
 * Shell functions a chapter defines (`mkpod() { …; }`) and calls. A definition is one command
 * (continued lines allowed); a call is a command whose first word names a function defined
 * earlier on the same machine. What reads commands to learn what they change (effects.ts, the
 * script's header) reads a call as its body with the arguments in place of `$1`…`$9`, so that
 * a helper hides nothing from the survey before a script starts.
 */

/** A definition: its name and its body as one line (`cmd; cmd`), without the braces. */
export interface FunctionDefinition {
	name: string;
	body: string;
	/** The defining command as written (continued lines kept). */
	text: string;
}

const DEFINITION = /^\s*([A-Za-z_]\w*)\s*\(\s*\)\s*\{\s*([\s\S]*?)\s*;?\s*\}\s*$/;

/** The function a command defines, or undefined when it defines none. */
export function functionDefinition(command: string): FunctionDefinition | undefined {
	const m = DEFINITION.exec(oneLine(command));
	return m ? { name: m[1]!, body: m[2]!, text: command } : undefined;
}

/**
 * A command with calls of known functions replaced by their bodies: `mkpod pod1 10.0.0.2/24`
 * becomes the body with `$1` and `${1}` replaced by `pod1` and so on (`$#` and `$@` too), and
 * double quotes around what is then one plain word removed (`"veth-$1"` → `veth-pod1`).
 * Anything else is returned as it was.
 */
export function expandCalls(command: string, functions: ReadonlyMap<string, string>): string {
	if (functions.size === 0) return command;
	const parsed = shellCommands(oneLine(command));
	const [name, ...args] = parsed[0]?.words ?? [];
	const body = parsed.length === 1 && name !== undefined ? functions.get(name) : undefined;
	if (body === undefined) return command;
	const expanded = body.replace(/\$(?:\{([1-9#@])\}|([1-9#@]))/g, (_, a?: string, b?: string) => {
		const p = (a ?? b)!;
		if (p === '#') return String(args.length);
		if (p === '@') return args.join(' ');
		return args[Number(p) - 1] ?? '';
	});
	// Quotes that now hold one plain word go, so that readers of the line see `veth-pod1`.
	return expanded.replace(/"([^"\s$`\\]*)"/g, '$1');
}

/** Follows the functions a machine's commands define, in order, and expands calls of them. */
export class FunctionScope {
	readonly functions = new Map<string, string>();

	/** The commands this one stands for: none for a definition, a call's body, else itself. */
	read(command: string): string[] {
		const def = functionDefinition(command);
		if (def) {
			this.functions.set(def.name, def.body);
			return [];
		}
		return [expandCalls(command, this.functions)];
	}
}

/** The names of the functions some of `commands` define: not programs to look for on PATH. */
export function definedFunctions(commands: Iterable<string>): Set<string> {
	const names = new Set<string>();
	for (const c of commands) {
		const def = functionDefinition(c);
		if (def) names.add(def.name);
	}
	return names;
}
