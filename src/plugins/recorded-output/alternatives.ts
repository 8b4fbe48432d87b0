/**
 * Where another target printed something different from the primary: a note under the block that
 * says so, and that target's output of the block. Progressive enhancement: the HTML holds each
 * other output in a native `<details>` (readable without JavaScript), and TARGET_SWITCH_JS turns
 * them into a row of toggle buttons that swap the block's displayed output in place.
 */
import { h, type Element } from '@astrojs/starlight/expressive-code/hast';

/** One other target's rendering of a block. */
export interface Alternative {
	/** Reader-facing name of the target: "arm64 VM". */
	label: string;
	/** The block's terminal as that target printed it: a copy of the block's `<pre>` with its outputs. */
	pre: Element;
}

/**
 * The note and the other outputs: `<div class="nb-alts">` with a sentence saying that `who` (the
 * targets, with their systems) printed something different and one `<details class="nb-alt">` per
 * target holding its terminal. `primaryLabel` names the output shown by default (the switch's
 * first button). Left out of the search index, like every recorded output.
 */
export function alternativesElement(primaryLabel: string, who: string, alternatives: readonly Alternative[]): Element {
	return h('div', { className: ['nb-alts'], dataNbPrimary: primaryLabel, dataPagefindIgnore: '' }, [
		h('p', { className: ['nb-alts-note'] }, [
			h('span', { className: ['nb-alts-icon'], ariaHidden: 'true' }, '≠'),
			// Labels are names ("arm64 VM"), kept as written even where they start the sentence.
			` ${who} printed something different.`,
		]),
		...alternatives.map((a) =>
			h('details', { className: ['nb-alt'], dataNbLabel: a.label }, [h('summary', {}, `Output on ${a.label}`), a.pre]),
		),
	]);
}

/**
 * Page script (an Expressive Code JS module): in each block with other outputs, moves their
 * terminals next to the block's own (hidden), drops the expanders and adds a group of toggle
 * buttons (`aria-pressed`), one per target, the primary first and pressed, that show one terminal
 * and hide the others. The copy button keeps copying the commands: its text is an attribute.
 */
export const TARGET_SWITCH_JS = `try{document.querySelectorAll('.nb-alts').forEach(box=>{const fig=box.closest('figure'),main=fig&&fig.querySelector('pre');if(!main)return;const views=[[box.dataset.nbPrimary,main]];box.querySelectorAll('details.nb-alt').forEach(d=>{const p=d.querySelector('pre');if(!p)return;p.hidden=true;views[views.length-1][1].after(p);views.push([d.dataset.nbLabel,p]);d.remove()});const g=document.createElement('div');g.className='nb-switch';g.setAttribute('role','group');g.setAttribute('aria-label','Show the output on');const s=document.createElement('span');s.textContent='Show the output on';s.setAttribute('aria-hidden','true');g.append(s);const bs=views.map(([label,pre],i)=>{const b=document.createElement('button');b.type='button';b.textContent=label;b.setAttribute('aria-pressed',String(i===0));b.addEventListener('click',()=>views.forEach(([,p],j)=>{p.hidden=j!==i;bs[j].setAttribute('aria-pressed',String(j===i))}));return b});g.append(...bs);box.append(g);box.dataset.nbSwitch=''})}catch(e){console.error('[netbook] target switch:',e)}`;
