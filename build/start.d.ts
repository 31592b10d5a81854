// Types of build/start.js (plain Node ESM, run as is by `npm start`) for the tests that use its lookup.
/** The Electron binary npm installed in this checkout, or undefined when there is none. */
export function electronBinary(env?: NodeJS.ProcessEnv): string | undefined;
