import { config } from 'zod';

// The page runs under `script-src 'self'` (no eval): zod's JIT would only probe `new Function`,
// fail, and leave a CSP violation report in the console for every page load. Imported first by main.tsx.
config({ jitless: true });
