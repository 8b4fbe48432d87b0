/** CNI spec versions as libcni 1.1 handles them: the versions these plugins speak, parsing and comparing. */

/** Every spec version these plugins speak (version.All). */
export const SUPPORTED_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0'];

/** version.ParseVersion → [major, minor, micro], or the error text. */
function parseVersion(v: string): [number, number, number] | string {
	if (v === '') return [0, 1, 0];
	const parts = v.split('.');
	if (parts.length >= 4) return `invalid version "${v}": too many parts`;
	const names = ['major', 'minor', 'micro'];
	const out: number[] = [];
	for (let i = 0; i < 3; i++) {
		const p = parts[i];
		if (p === undefined) {
			out.push(0);
			continue;
		}
		if (!/^[+-]?\d+$/.test(p)) return `failed to convert ${names[i]} version part "${p}": strconv.Atoi: parsing "${p}": invalid syntax`;
		out.push(Number(p));
	}
	return out as [number, number, number];
}

/** version.GreaterThanOrEqualTo. */
export function versionGte(a: string, b: string): boolean | string {
	const x = parseVersion(a);
	if (typeof x === 'string') return x;
	const y = parseVersion(b);
	if (typeof y === 'string') return y;
	for (let i = 0; i < 3; i++) if ((x[i] as number) !== (y[i] as number)) return (x[i] as number) > (y[i] as number);
	return true;
}
