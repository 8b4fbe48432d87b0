/**
 * A small seeded pseudo-random generator (mulberry32), so that one seed always gives the same
 * scenarios, on every machine and Node version. Not for anything secret.
 */

/** Draws numbers and choices from one seeded sequence. */
export interface Rng {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [0, n). */
	int(n: number): number;
	/** An integer in [lo, hi], both included. */
	between(lo: number, hi: number): number;
	/** True with probability `p`. */
	chance(p: number): boolean;
	/** One element of a non-empty list. */
	pick<T>(items: readonly T[]): T;
	/** One key chosen by weight (weights ≥ 0, not all 0). */
	weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
	/** A new generator seeded from this one (independent streams per scenario). */
	fork(): Rng;
}

/** A generator seeded with `seed` (any integer; the same seed, the same sequence). */
export function createRng(seed: number): Rng {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number): number => Math.floor(next() * n);
	const rng: Rng = {
		next,
		int,
		between: (lo, hi) => lo + int(hi - lo + 1),
		chance: (p) => next() < p,
		pick<T>(items: readonly T[]): T {
			if (items.length === 0) throw new Error('pick from an empty list');
			return items[int(items.length)] as T;
		},
		weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
			const entries = Object.entries(weights) as [K, number][];
			const total = entries.reduce((s, [, w]) => s + w, 0);
			let x = next() * total;
			for (const [k, w] of entries) {
				if (x < w) return k;
				x -= w;
			}
			return (entries.at(-1) as [K, number])[0];
		},
		fork: () => createRng(int(2 ** 32)),
	};
	return rng;
}
