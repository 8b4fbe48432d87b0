/**
 * Where the exact source code of a Debian source package version can be had: the licences page
 * of the page's real kernel (src/pages/kernel-in-the-page.astro) links each package of the image
 * to it. snapshot.debian.org keeps every version Debian ever published, so the address stays
 * good after the version has left the archive.
 */

/** snapshot.debian.org's page of one source package version (its .dsc, original tarballs, Debian changes). */
export function snapshotUrl(sourcePackage: string, version: string): string {
	return `https://snapshot.debian.org/package/${encodeURIComponent(sourcePackage)}/${encodeURIComponent(version)}/`;
}

/**
 * The upstream part of a Debian version (no epoch, no Debian revision): `1:2.5.1-4` → `2.5.1`,
 * `6.1.192+3` → `6.1.192+3`. Used to say which `linux` upstream release a signed kernel wraps.
 */
export function upstreamVersion(version: string): string {
	return version.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

/**
 * A Debian kernel comes from a `linux-signed-ARCH` source package, which holds only the signed
 * image's packaging; the kernel's own source is the `linux` source package of the same upstream
 * release. Returns that release (`6.1.192`) for a `linux-signed-*` entry, else undefined.
 */
export function signedKernelRelease(sourcePackage: string, version: string): string | undefined {
	if (!/^linux-signed-/.test(sourcePackage)) return undefined;
	return /^\d+(\.\d+)+/.exec(upstreamVersion(version))?.[0];
}
