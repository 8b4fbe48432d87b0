import type { APIRoute } from 'astro';
import { bundlePlugin } from '../../../examples/cni-plugin/build.ts';
import { ROOT } from '../../lib/book/paths.ts';

/**
 * The book's CNI plugin for a reader's own machine (/downloads/tsbridge): the very bundle the lab
 * sandbox installs as /opt/cni/bin/tsbridge (src/lib/book/book-programs.ts), built from
 * examples/cni-plugin when the site is built. Chapter 15 and its script say where to put it.
 */
export const GET: APIRoute = async () => new Response(await bundlePlugin(ROOT), { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
