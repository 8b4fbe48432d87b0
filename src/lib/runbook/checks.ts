/**
 * A chapter's progress checks, as written in its frontmatter (`checks:`): what a reader achieves
 * in the terminal, each a condition on the lab's state or on the commands that ran. They are
 * data beside the chapter they describe; the terminal turns them into tests of its state
 * (src/lib/terminal/progress.ts). docs/writing-chapters.md explains how to write them.
 */
import { z } from 'zod';

const host = z.string().min(1).describe('Lab host the condition looks at');
const netns = z.string().optional().describe("Named network namespace on that host (absent: the host's own)");

/** A condition: one kind key with its main argument, plus where to look. */
export type Condition =
	| { address: string; host: string; netns?: string | undefined; dev?: string | undefined }
	| { link: string; host: string; netns?: string | undefined }
	| { up: string; host: string; netns?: string | undefined }
	| { namespace: string; host: string }
	| { route: string; host: string; netns?: string | undefined; via?: string | undefined }
	| { neighbour: string; host: string; netns?: string | undefined }
	| { members: string; count: number; host: string; netns?: string | undefined }
	| { ran: string; host: string }
	| { failed: string; host: string }
	| { ping: string; host: string; netns?: string | undefined }
	| { all: Condition[] }
	| { any: Condition[] }
	| { not: Condition };

/** The zod schema of a {@link Condition} (strict: a misspelt key is an error, not a no-op). */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
	z.union([
		z.strictObject({ address: z.string().regex(/^[\d.]+\/\d+$/).describe('IPv4 address with prefix'), host, netns, dev: z.string().optional() }),
		z.strictObject({ link: z.string().describe('Interface name'), host, netns }),
		z.strictObject({ up: z.string().describe('Interface that is administratively up'), host, netns }),
		z.strictObject({ namespace: z.string().describe('Named network namespace that exists'), host }),
		z.strictObject({ route: z.string().describe('Destination: default or a prefix'), host, netns, via: z.string().optional() }),
		z.strictObject({ neighbour: z.string().describe('IP address whose MAC the neighbour table knows'), host, netns }),
		z.strictObject({ members: z.string().describe('Bridge'), count: z.number().int().positive(), host, netns }),
		z.strictObject({ ran: z.string().describe('Regular expression a command line, as typed, matches (exit 0)'), host }),
		z.strictObject({ failed: z.string().describe('Regular expression a command line, as typed, matches (exit not 0)'), host }),
		z.strictObject({ ping: z.string().describe('Address a ping got replies from'), host, netns }),
		z.strictObject({ all: z.array(conditionSchema).min(1) }),
		z.strictObject({ any: z.array(conditionSchema).min(1) }),
		z.strictObject({ not: conditionSchema }),
	]),
);

/** One progress check of a chapter. */
export const checkSpecSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9-]+$/).describe('Stable id within the chapter (the browser remembers it)'),
	label: z.string().min(1).describe('What the reader achieves, e.g. "Alice can ping Bob"'),
	when: conditionSchema,
});

export type CheckSpec = z.output<typeof checkSpecSchema>;

/** The `checks` of a chapter's frontmatter, in the order the chapter reaches them. */
export const checksSchema = z
	.array(checkSpecSchema)
	.superRefine((checks, ctx) => {
		const seen = new Set<string>();
		for (const c of checks) {
			if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: `duplicate check id "${c.id}"` });
			seen.add(c.id);
		}
	})
	.describe('Progress checks the in-page terminal shows for this chapter');

/** Every host a condition looks at, to check them against the chapter's lab. */
export function hostsOf(condition: Condition): string[] {
	if ('all' in condition) return condition.all.flatMap(hostsOf);
	if ('any' in condition) return condition.any.flatMap(hostsOf);
	if ('not' in condition) return hostsOf(condition.not);
	return [condition.host];
}

/** Every `ran` pattern of a condition, to check that each compiles. */
export function patternsOf(condition: Condition): string[] {
	if ('all' in condition) return condition.all.flatMap(patternsOf);
	if ('any' in condition) return condition.any.flatMap(patternsOf);
	if ('not' in condition) return patternsOf(condition.not);
	if ('failed' in condition) return [condition.failed];
	return 'ran' in condition ? [condition.ran] : [];
}
