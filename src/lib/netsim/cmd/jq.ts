/** The simulated jq; it lives in `jq/` (one module per stage), this path is what callers import. */
export { jq, type JqVfs } from './jq/index.ts';
