/**
 * Where the book is published: the one definition of the site's address and base path.
 * astro.config.mjs builds with it, and chapter scripts name their chapter's page with it, so the
 * script verify runs is byte for byte the one the site serves.
 */
export const SITE_URL = 'https://netbook.example';

/** Base path of the site under {@link SITE_URL} (Astro's `base`), with a leading and trailing slash. */
export const SITE_BASE = '/';

/** Public address of a chapter's page, e.g. https://netbook.example/05-veth-pairs/. */
export function chapterUrl(chapterId: string): string {
	return new URL(`${SITE_BASE}${chapterId}/`, SITE_URL).href;
}

/** Site-relative address of a chapter's script, e.g. /scripts/05-veth-pairs.sh. */
export function scriptHref(chapterId: string): string {
	return `${SITE_BASE}scripts/${chapterId}.sh`;
}
