/** The term model worker's entry: beside the sources, or beside the compiled server (see termModelWorkerUrl.mjs). */
export declare const termModelWorkerUrl: URL;
/** The rivals' helper thread's entry, beside the term model worker's. */
export declare const rivalsWorkerUrl: URL;
