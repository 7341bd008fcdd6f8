// Where the calibration folds' worker thread starts. Plain JavaScript on
// purpose: the compiled server rewrites `import.meta.url` in TypeScript files
// only (to their source's), so here it is the running module's own. Run from
// the sources, that is this folder, where foldClassifierWorker.mjs registers
// tsx; in the compiled server it is the bundle's folder, where
// foldClassifierWorker.ts is compiled under that same name
// (scripts/compileServer.mjs).
export const foldClassifierWorkerUrl = new URL('./foldClassifierWorker.mjs', import.meta.url);
