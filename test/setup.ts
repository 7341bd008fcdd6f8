import { configureLogger } from '../core/logger.ts';

// Tests print failures, not the info lines a running server writes.
configureLogger({ level: 'error' });
