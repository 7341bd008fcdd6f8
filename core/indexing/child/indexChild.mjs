// A server's first index build run from the sources (see buildInChild.ts):
// this plain module registers tsx in the child process, then imports the
// TypeScript entry. The compiled server starts indexChild.ts compiled beside
// its bundle instead, under this same name, without tsx
// (scripts/compileServer.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./indexChild.ts');
