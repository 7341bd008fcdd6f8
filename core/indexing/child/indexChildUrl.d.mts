/** The child index build's entry: beside the sources, or beside the compiled server (see indexChildUrl.mjs). */
export declare const indexChildUrl: URL;
