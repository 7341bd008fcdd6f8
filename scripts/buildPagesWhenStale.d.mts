/** Each page's folder: its build is `<page>/build.ts`, its output `<page>/dist/`. */
export declare const PAGES: string[];

/** Why the pages must be built again under `root` (the checkout), or null when every built file is newer than every source. */
export declare function pagesStaleness(root?: string): Promise<string | null>;
