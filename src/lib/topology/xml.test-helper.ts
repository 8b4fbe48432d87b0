/**
 * Test-only: a small XML well-formedness check (balanced tags, quoted attributes, no duplicate
 * attributes, only the five predefined entities and numeric references). Enough for our SVG.
 */
export function checkXml(xml: string): string[] {
	const problems: string[] = [];
	const stack: string[] = [];
	const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;
	let m: RegExpExecArray | null;
	while ((m = token.exec(xml))) {
		if (m[0] === '<') problems.push(`stray < at ${m.index}`);
		else if (m[0].startsWith('&')) problems.push(`bad entity at ${m.index}`);
		else if (m[2]) {
			const names = [...(m[3] ?? '').matchAll(/([\w:.-]+)=/g)].map((a) => a[1]);
			if (new Set(names).size !== names.length) problems.push(`duplicate attribute in <${m[2]}> at ${m.index}`);
			if (m[1]) {
				const open = stack.pop();
				if (open !== m[2]) problems.push(`</${m[2]}> closes <${open}> at ${m.index}`);
			} else if (!m[4]) stack.push(m[2]);
		}
	}
	if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
	return problems;
}
