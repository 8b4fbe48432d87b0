#!/usr/bin/env node
/**
 * The executable: a container runtime (or you) runs it with CNI_COMMAND and the other CNI_*
 * variables set and the network configuration on standard input.
 */
import { readFileSync } from 'node:fs';
import { nodeSystem } from './node-system.ts';
import { runPlugin } from './plugin.ts';

const { stdout, exit } = runPlugin(process.env, () => readFileSync(0, 'utf8'), nodeSystem);
process.stdout.write(stdout);
// exitCode, not exit(): Node writes all of stdout before it ends.
process.exitCode = exit;
