/** Exhaustiveness check for discriminated unions: `default: assertNever(x)`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
