/**
 * The stylesheet embedded in every diagram. Everything is scoped under `.topo`, so several
 * diagrams on a page share it harmlessly. Colours are custom properties: light by default, dark
 * when Starlight sets `data-theme='dark'` on the root element, or, for a page without a theme
 * switch (or the SVG opened on its own), when the reader's system prefers dark.
 */

const LIGHT = `--topo-fg:#1c1f26;--topo-muted:#4f5563;--topo-host-bg:#f3f5f9;--topo-host-stroke:#5b6678;--topo-chip-bg:#2d3748;--topo-chip-fg:#ffffff;--topo-ns-bg:#ffffff;--topo-ns-stroke:#7c6fd1;--topo-ns-chip-bg:#ece8fd;--topo-ns-chip-fg:#3b2f8f;--topo-bridge-bg:#e3f4f0;--topo-bridge-stroke:#0f766e;--topo-port-bg:#ffffff;--topo-port-stroke:#8a96a8;--topo-veth:#7c3aed;--topo-cable:#4b5563;--topo-uplink:#2563eb;--topo-overlay:#c2410c;--topo-ghost:#8a94a6;--topo-up:#15803d;--topo-warn:#b45309;--topo-down:#b91c1c;--topo-switch-bg:#334155;--topo-switch-fg:#ffffff;--topo-cloud-bg:#e3edff;--topo-cloud-stroke:#2563eb;`;
const DARK = `--topo-fg:#e6e8ee;--topo-muted:#a9b0bd;--topo-host-bg:#1a202c;--topo-host-stroke:#8795ab;--topo-chip-bg:#cbd5e1;--topo-chip-fg:#111827;--topo-ns-bg:#11151d;--topo-ns-stroke:#a594f9;--topo-ns-chip-bg:#2e2757;--topo-ns-chip-fg:#e0d9ff;--topo-bridge-bg:#0f2d29;--topo-bridge-stroke:#2dd4bf;--topo-port-bg:#202634;--topo-port-stroke:#6b778c;--topo-veth:#b69cff;--topo-cable:#a0aab8;--topo-uplink:#6ea8fe;--topo-overlay:#fb923c;--topo-ghost:#7b8597;--topo-up:#4ade80;--topo-warn:#fbbf24;--topo-down:#f87171;--topo-switch-bg:#cbd5e1;--topo-switch-fg:#0f172a;--topo-cloud-bg:#16233f;--topo-cloud-stroke:#6ea8fe;`;

/** The colours as custom properties (`--topo-*`), light and dark: the netfilter figure uses them too. */
export const PALETTE = { light: LIGHT, dark: DARK } as const;

/** The CSS inside each diagram's `<style>`. */
export const TOPOLOGY_CSS = [
	`.topo{${LIGHT}width:100%;height:auto;color:var(--topo-fg);font-family:var(--sl-font,system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif)}`,
	`@media (prefers-color-scheme:dark){:root:not([data-theme]) .topo,svg.topo:root{${DARK}}}`,
	`:root[data-theme='dark'] .topo{${DARK}}`,
	`.topo text{fill:var(--topo-fg)}`,
	`.topo .mono{font-family:var(--sl-font-mono,ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace)}`,
	`.topo .muted{fill:var(--topo-muted)}`,
	`.topo .b{font-weight:700}`,
	`.topo .host>.box{fill:var(--topo-host-bg);stroke:var(--topo-host-stroke);stroke-width:1.5}`,
	`.topo .host>.chip{fill:var(--topo-chip-bg)}`,
	`.topo .host>.chip-text,.topo .host>.icon{fill:var(--topo-chip-fg)}`,
	`.topo .host>.icon-line{stroke:var(--topo-chip-fg);stroke-width:1.5;fill:none}`,
	`.topo .netns>.box{fill:var(--topo-ns-bg);stroke:var(--topo-ns-stroke);stroke-width:1.5;stroke-dasharray:6 3}`,
	`.topo .netns>.chip{fill:var(--topo-ns-chip-bg);stroke:var(--topo-ns-stroke);stroke-width:1}`,
	`.topo .netns>.chip-text{fill:var(--topo-ns-chip-fg)}`,
	`.topo .ghost>.box{fill:none;stroke:var(--topo-ghost);stroke-width:1.5;stroke-dasharray:3 4}`,
	`.topo .ghost>.chip{fill:var(--topo-host-bg);stroke:var(--topo-ghost);stroke-dasharray:3 3}`,
	`.topo .bridge>.box{fill:var(--topo-bridge-bg);stroke:var(--topo-bridge-stroke);stroke-width:2}`,
	`.topo .port>.box,.topo .iface>.box{fill:var(--topo-port-bg);stroke:var(--topo-port-stroke);stroke-width:1.25}`,
	`.topo .iface>.box{stroke-dasharray:4 2}`,
	`.topo .switch>.box{fill:var(--topo-switch-bg)}`,
	`.topo .switch>text{fill:var(--topo-switch-fg)}`,
	`.topo .socket{fill:var(--topo-switch-bg);stroke:var(--topo-host-bg);stroke-width:1}`,
	`.topo .router>.box,.topo .cloud>.box{fill:var(--topo-cloud-bg);stroke:var(--topo-cloud-stroke);stroke-width:1.5}`,
	`.topo .led{stroke:var(--topo-port-bg);stroke-width:1}`,
	`.topo .led.up{fill:var(--topo-up)}`,
	`.topo .led.no-carrier,.topo .led.unknown{fill:var(--topo-warn)}`,
	`.topo .led.down{fill:none;stroke:var(--topo-down);stroke-width:1.5}`,
	`.topo .wire{fill:none;stroke-width:2.25;stroke-linecap:round;stroke-linejoin:round}`,
	`.topo .wire.veth{stroke:var(--topo-veth)}`,
	`.topo .wire.cable{stroke:var(--topo-cable)}`,
	`.topo .wire.uplink,.topo .wire.internet{stroke:var(--topo-uplink)}`,
	`.topo .wire.overlay{stroke:var(--topo-overlay);stroke-dasharray:7 4}`,
	`.topo .wire.ghost{stroke:var(--topo-ghost);stroke-dasharray:3 4}`,
	`.topo .wire.down{stroke-dasharray:2 5;opacity:.75}`,
	`.topo .hl .box,.topo .wire.hl{stroke:var(--topo-overlay);stroke-width:3}`,
].join('\n');
