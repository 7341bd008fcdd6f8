import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run kb -- <command> [args]` (and `npm run index`, `npm run eval`).
 * Each command is one file in indexer/commands/ exporting `run(args)` and a
 * one-line `summary`; this file only finds it and reports failures.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);

async function main(): Promise<number> {
  const commands = (await import('node:fs'))
    .readdirSync(path.join(here, 'commands'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write('Usage: npm run kb -- <command> [options]\n\nCommands:\n');
    for (const c of commands) {
      const mod = (await import(path.join(here, 'commands', `${c}.ts`))) as { summary?: string };
      process.stdout.write(`  ${c.padEnd(16)} ${mod.summary ?? ''}\n`);
    }
    return name ? 0 : 1;
  }
  const file = path.join(here, 'commands', `${name}.ts`);
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(file)) {
    process.stderr.write(`Unknown command '${name}'. Commands: ${commands.join(', ')}\n`);
    return 2;
  }
  const mod = (await import(file)) as { run: (args: string[]) => Promise<number> };
  return mod.run(args);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.name === 'Error' ? '' : `${error.name}: `}${error.message}\n`);
    process.exit(1);
  },
);
