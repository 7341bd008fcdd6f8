// The engine's worker thread run from the sources (see engineThreads.ts):
// tsx's loader does not reach worker threads on Node 20, so this plain module
// registers it in this thread, then imports the TypeScript worker. The
// compiled server starts engineWorker.ts compiled beside its bundle instead,
// under this same name, without tsx (scripts/compileServer.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./engineWorker.ts');
