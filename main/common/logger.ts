/** Structured logs: one JSON object per line, never secret values (callers pass names, not values). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

export class JsonLineLogger implements Logger {
  constructor(
    private readonly out: { write(line: string): unknown },
    private readonly base: LogFields = {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    this.out.write(JSON.stringify({ time: this.now().toISOString(), level, msg, ...this.base, ...fields }) + '\n');
  }
}
