// Where a server's first index build runs (buildInChild.ts). Plain JavaScript
// on purpose: the compiled server rewrites `import.meta.url` in TypeScript
// files only (to their source's), so here it is the running module's own. Run
// from the sources, that is this folder, where indexChild.mjs registers tsx;
// in the compiled server it is the bundle's folder, where indexChild.ts is
// compiled under that same name (scripts/compileServer.mjs).
export const indexChildUrl = new URL('./indexChild.mjs', import.meta.url);
