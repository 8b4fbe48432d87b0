/** The catalog of the book in this repository (its labs, and what each snapshot set was recorded on). */
import { labNames, loadLab } from '../book/labs.ts';
import { ROOT } from '../book/paths.ts';
import { PRIMARY_TARGET, TARGETS } from '../book/targets.ts';
import { targetKind } from '../shared/machine.ts';
import { recordedOfSet } from '../snapshot/store.ts';
import type { Catalog } from './catalog.ts';
import type { Machine } from './state-file.ts';

/** Reads the catalog from the book at `root`: every lab, and every target that has snapshots. */
export function catalogFromBook(root = ROOT): Catalog {
	const labs = Object.fromEntries(labNames(root).map((name) => [name, loadLab(name, root)]));
	const machines: Record<string, Machine> = {};
	for (const { id } of TARGETS) {
		const recorded = recordedOfSet(root, id);
		if (!recorded) continue;
		const { kernel, iproute2, iptables, arch, os } = recorded;
		machines[id] = { set: id, kind: targetKind(id), recorded: { kernel, iproute2, iptables, arch, os } };
	}
	return { labs, machines, primary: PRIMARY_TARGET };
}
