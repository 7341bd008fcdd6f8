// Where an engine worker thread starts. Plain JavaScript on purpose: the
// compiled server rewrites `import.meta.url` in TypeScript files only (to
// their source's), so here it is the running module's own. Run from the
// sources, that is this folder, where engineWorker.mjs registers tsx; in the
// compiled server it is the bundle's folder, where engineWorker.ts is
// compiled under that same name (scripts/compileServer.mjs).
export const engineWorkerUrl = new URL('./engineWorker.mjs', import.meta.url);
