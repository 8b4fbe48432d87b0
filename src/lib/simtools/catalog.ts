/**
 * What `netsim-lab init` can start without the book's repository at hand: the book's labs by name
 * and the machines its snapshot sets were recorded on. The build writes it beside the bundle
 * (`catalog.json`), so the tools work wherever they are copied, a WebContainer included.
 */
import type { Lab } from '../shared/lab.ts';
import type { Machine } from './state-file.ts';

/** The book's labs and machines. */
export interface Catalog {
	/** Lab definitions by name (`machine`, `two-hosts`…). */
	labs: Record<string, Lab>;
	/** Machines by snapshot set (`vm:arm64`, `local`…), the sets that have recordings. */
	machines: Record<string, Machine>;
	/** The set the book shows, imitated unless `--like` says otherwise. */
	primary: string;
}

/** A machine by the name of its target (`vm:arm64`) or of its snapshot set's folder (`vm-arm64`). */
export function findMachine(catalog: Catalog, name: string): Machine | undefined {
	return Object.values(catalog.machines).find((m) => m.set === name || m.set.replace(':', '-') === name);
}
