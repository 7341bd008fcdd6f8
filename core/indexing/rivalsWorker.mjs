// The rivals' helper thread run from the sources (see rivalsShare.ts), as
// termModelWorker.mjs: this plain module registers tsx in this thread, then
// imports the TypeScript worker; the compiled server starts rivalsWorker.ts
// compiled beside its bundle under this same name (scripts/compileServer.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./rivalsWorker.ts');
