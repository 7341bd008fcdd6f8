/** The engine worker thread's entry: beside the sources, or beside the compiled server (see engineWorkerUrl.mjs). */
export declare const engineWorkerUrl: URL;
