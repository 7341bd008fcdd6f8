import { fileURLToPath } from 'node:url';

/**
 * The small KB route, widget and bot specs run on (test/fixtures/kb): frozen
 * copies of a few sample articles in English and Spanish, with translations, an
 * internal article and a draft. Specs keep their own copy so that editing the
 * sample KB (kb-content/) changes the demo, not the specifications; only specs
 * about the sample KB itself read kb-content/.
 */
export const FIXTURE_KB = fileURLToPath(new URL('../fixtures/kb', import.meta.url));
