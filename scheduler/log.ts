/** The engine's logger: one line per event, prefixed, so operators can grep it. */
export interface EngineLogger {
  info(message: string): void;
  warn(message: string, err?: unknown): void;
  error(message: string, err?: unknown): void;
}

export const consoleLogger: EngineLogger = {
  info: (m) => console.log(`[cronboard] ${m}`),
  warn: (m, err) => console.warn(`[cronboard] ${m}`, err ?? ''),
  error: (m, err) => console.error(`[cronboard] ${m}`, err ?? ''),
};

export const silentLogger: EngineLogger = { info() {}, warn() {}, error() {} };
