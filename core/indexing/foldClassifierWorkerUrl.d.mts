/** The calibration folds' worker entry: beside the sources, or beside the compiled server (see foldClassifierWorkerUrl.mjs). */
export declare const foldClassifierWorkerUrl: URL;
