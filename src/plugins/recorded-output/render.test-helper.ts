/** Renders a sh block through Expressive Code with the recorded-output plugin, as the site's build does. */
import { ExpressiveCode } from '@astrojs/starlight/expressive-code';
import { toHtml } from '@astrojs/starlight/expressive-code/hast';
import { pluginRecordedOutput, type RecordedOutputOptions } from './index.ts';

/** Stands in for src/lib/topology, so that file snapshots do not follow the drawing's details. */
export function fakeSvg(state: object, { title, id }: { title: string; id: string }): string {
	return `<svg id="${id}" role="img"><title>${title}</title><desc>${Object.keys(state).join(', ')}</desc></svg>`;
}

/** The HTML of one block of the chapter `file`, given its code and fence meta string. */
export async function renderBlock(
	input: { code: string; meta: string; file: string; language?: string },
	options: RecordedOutputOptions = { renderTopology: fakeSvg },
): Promise<string> {
	const ec = new ExpressiveCode({ plugins: [pluginRecordedOutput(options)] });
	const { renderedGroupAst } = await ec.render({
		code: input.code,
		language: input.language ?? 'sh',
		meta: input.meta,
		parentDocument: { sourceFilePath: input.file },
	});
	return toHtml(renderedGroupAst, { allowDangerousHtml: true });
}

/** Visible text of an HTML fragment, for assertions that should not depend on markup. */
export const textOf = (html: string): string =>
	html
		.replace(/<(style|script)[\s\S]*?<\/\1>/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/&#x3C;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&#x27;/g, "'")
		.replace(/&#x26;/g, '&')
		.replace(/&quot;/g, '"');
