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

/**
 * Site-relative address of a chapter's recording on the page's real kernel, as "Check this chapter
 * on the real kernel" fetches it: /recordings/v86/05-veth-pairs.json.
 */
export function pageKernelRecordingHref(chapterId: string): string {
	return `${SITE_BASE}recordings/v86/${chapterId}.json`;
}

/**
 * Where readers ask for the source code the page's real kernel was built from (the written offer
 * on the licences page, src/pages/kernel-in-the-page.astro). An address at the site's own domain:
 * it must reach the maintainers wherever the book is published.
 */
export const SOURCE_REQUESTS = `sources@${new URL(SITE_URL).hostname}`;

/** Site-relative address of the licences page of the page's real kernel. */
export const KERNEL_LICENCES_HREF = `${SITE_BASE}kernel-in-the-page/`;
