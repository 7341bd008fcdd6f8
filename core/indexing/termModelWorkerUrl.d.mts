/** The term model worker's entry: beside the sources, or beside the compiled server (see termModelWorkerUrl.mjs). */
export declare const termModelWorkerUrl: URL;
