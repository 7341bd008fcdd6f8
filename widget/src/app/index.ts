/**
 * The conversation UI (widget-app.js), loaded by widget.js on first use.
 * It announces its mount function with a DOM event rather than a global.
 */
import { mountApp } from './mount.ts';

document.dispatchEvent(new CustomEvent('deflect:app', { detail: mountApp }));
