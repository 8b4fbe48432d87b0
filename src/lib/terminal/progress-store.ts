/**
 * Where progress checks are remembered: localStorage, chapter by chapter. Kept apart from the
 * checks themselves because the page's sidebar reads it on every load (it must stay tiny).
 */

/** The part of Storage progress needs (localStorage in the page). */
export interface ProgressStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

/** Where progress is kept: chapter id → ids of the checks passed, and how many there are. */
export const PROGRESS_KEY = 'netbook:progress';

/** One chapter's progress. */
export interface ChapterProgress {
	passed: string[];
	total: number;
}

/** Everything kept, chapter by chapter; an unreadable or blocked store reads as empty. */
export function loadProgress(storage: ProgressStorage | undefined): Record<string, ChapterProgress> {
	try {
		const raw = JSON.parse(storage?.getItem(PROGRESS_KEY) ?? '{}') as unknown;
		return typeof raw === 'object' && raw !== null ? (raw as Record<string, ChapterProgress>) : {};
	} catch {
		return {};
	}
}

/**
 * Adds newly passed checks to a chapter's progress (never removes one) and saves it.
 * Returns the chapter's progress after the update.
 */
export function recordProgress(storage: ProgressStorage | undefined, chapter: string, passed: string[], total: number): ChapterProgress {
	const all = loadProgress(storage);
	const before = all[chapter]?.passed ?? [];
	const merged = { passed: [...new Set([...before, ...passed])], total };
	all[chapter] = merged;
	try {
		storage?.setItem(PROGRESS_KEY, JSON.stringify(all));
	} catch {
		// Private mode or storage full: progress lives for this page only.
	}
	return merged;
}
