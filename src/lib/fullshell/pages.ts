/**
 * Which pages embed "Open in a full shell", and so need the isolation headers: the chapters whose
 * MDX uses the component. The build checks the built pages against this list (emit.ts), so a page
 * that embeds it some other way fails the build instead of going out without its headers.
 */
import { SITE_BASE } from '../book/site.ts';

/** The component's name as chapters use it: `<FullShell />`. */
export const COMPONENT_NAME = 'FullShell';

/** A chapter: its id (the file name without `.mdx`) and its MDX source. */
export interface ChapterSource {
	id: string;
	text: string;
}

/** True when the MDX uses the component outside code blocks (where it would be text, not a component). */
export function usesFullShell(mdx: string): boolean {
	const prose = mdx.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
	return new RegExp(`<${COMPONENT_NAME}[\\s/>]`).test(prose);
}

/** Site paths (`/09-cni-by-hand/`, under the site's base) of the chapters that use the component, sorted. */
export function shellPages(chapters: readonly ChapterSource[]): string[] {
	return chapters
		.filter((c) => usesFullShell(c.text))
		.map((c) => `${SITE_BASE}${c.id}/`)
		.sort();
}
