// The calibration folds' worker thread run from the sources (see
// foldClassifierThread.ts): tsx's loader does not reach worker threads on
// Node 20, so this plain module registers it in this thread, then imports the
// TypeScript worker. The compiled server starts foldClassifierWorker.ts
// compiled beside its bundle instead, under this same name, without tsx
// (scripts/compileServer.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./foldClassifierWorker.ts');
