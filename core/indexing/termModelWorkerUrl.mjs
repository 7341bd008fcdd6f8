// Where the term model's worker thread starts. Plain JavaScript on purpose:
// the compiled server rewrites `import.meta.url` in TypeScript files only (to
// their source's), so here it is the running module's own. Run from the
// sources, that is this folder, where termModelWorker.mjs registers tsx; in
// the compiled server it is the bundle's folder, where termModelWorker.ts is
// compiled under that same name (scripts/compileServer.mjs).
export const termModelWorkerUrl = new URL('./termModelWorker.mjs', import.meta.url);
/** The rivals' helper thread's entry, beside it in either case (rivalsWorker.mjs, or compiled as rivalsWorker.ts). */
export const rivalsWorkerUrl = new URL('./rivalsWorker.mjs', import.meta.url);
