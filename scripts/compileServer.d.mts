/** The compiled server, which `npm start` runs. */
export declare const SERVER_BUNDLE: string;

/** Compiles `entry` (server/main.ts) into `outFile` (SERVER_BUNDLE) unless the bundle is current; says whether it did, and why. */
export declare function compileServer(options?: {
  entry?: string;
  outFile?: string;
}): Promise<{ compiled: boolean; reason: string }>;
