/**
 * Delta debugging (Zeller and Hildebrandt's ddmin): the smallest sub-list of `items` that still
 * passes a test, found by trying halves, then quarters… and their complements. The test takes
 * several candidates at once, so a caller that can try them together (one kernel run for several
 * candidates) pays once per batch; a budget of such batches bounds the search.
 */

/** Tries candidates, returns one verdict per candidate (true: it still shows the failure). */
export type BatchTest<T> = (candidates: T[][]) => Promise<boolean[]>;

/** Options of {@link ddmin}. */
export interface DdminOptions<T> {
	/** At most this many calls of the test (batches); then the smallest list so far is returned. */
	budget: number;
	/** Candidates handed to the test per call (default 1: one at a time, stopping at the first that passes). */
	batch?: number;
	/** A candidate's identity, to never test the same one twice (default: JSON). */
	key?: (items: readonly T[]) => string;
}

/** What {@link ddmin} found. */
export interface DdminResult<T> {
	items: T[];
	/** Calls of the test made. */
	calls: number;
	/** Candidates tested. */
	tested: number;
	/** True when removing any one item loses the failure (1-minimal); false when the budget ran out first. */
	minimal: boolean;
}

/** `items` cut into `n` nearly equal consecutive chunks. */
function split<T>(items: readonly T[], n: number): T[][] {
	const chunks: T[][] = [];
	let start = 0;
	for (let i = 0; i < n; i++) {
		const end = start + Math.floor((items.length - start) / (n - i));
		chunks.push(items.slice(start, end));
		start = end;
	}
	return chunks.filter((c) => c.length > 0);
}

/**
 * Reduces `items` (which must pass `test`) to a 1-minimal sub-list that still passes, the order
 * of items kept. The empty list is tried first.
 */
export async function ddmin<T>(items: readonly T[], test: BatchTest<T>, options: DdminOptions<T>): Promise<DdminResult<T>> {
	const key = options.key ?? ((xs: readonly T[]): string => JSON.stringify(xs));
	const batch = Math.max(1, options.batch ?? 1);
	const known = new Map<string, boolean>([[key(items), true]]);
	let calls = 0;
	let tested = 0;

	/** Index of the first candidate that passes, -1 if none does, undefined when the budget ran out. */
	const firstPassing = async (candidates: T[][]): Promise<number | undefined> => {
		const pending: number[] = [];
		for (let i = 0; i < candidates.length; i++) {
			const seen = known.get(key(candidates[i] as T[]));
			if (seen === true) return i;
			if (seen === undefined) pending.push(i);
			const last = i === candidates.length - 1;
			if (pending.length === batch || (last && pending.length > 0)) {
				if (calls >= options.budget) return undefined;
				calls++;
				tested += pending.length;
				const verdicts = await test(pending.map((k) => candidates[k] as T[]));
				pending.forEach((k, j) => known.set(key(candidates[k] as T[]), verdicts[j] === true));
				pending.length = 0;
				const hit = candidates.findIndex((c, k) => k <= i && known.get(key(c)) === true);
				if (hit >= 0) return hit;
			}
		}
		return -1;
	};

	let current = [...items];
	if (current.length === 0) return { items: current, calls, tested, minimal: true };
	const empty = await firstPassing([[]]);
	if (empty === undefined) return { items: current, calls, tested, minimal: false };
	if (empty === 0) return { items: [], calls, tested, minimal: true };
	let n = 2;
	while (current.length >= 2) {
		const subsets = split(current, n);
		const complements = subsets.map((_, i) => subsets.filter((__, j) => j !== i).flat());
		const candidates = subsets.length === 2 ? subsets : [...subsets, ...complements];
		const found = await firstPassing(candidates);
		if (found === undefined) return { items: current, calls, tested, minimal: false };
		if (found >= 0) {
			const reducedToSubset = found < subsets.length;
			current = candidates[found] as T[];
			n = reducedToSubset ? 2 : Math.max(n - 1, 2);
			continue;
		}
		if (n >= current.length) break;
		n = Math.min(2 * n, current.length);
	}
	return { items: current, calls, tested, minimal: true };
}
