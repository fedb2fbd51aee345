/**
 * Emulated wall clock. Time runs `scale` times faster than real time, and tests can jump it
 * forward, so quota windows, modifiedTime and channel expiry can be exercised in milliseconds.
 */
export interface EmulatorClock {
  /** Emulated epoch milliseconds. */
  now(): number;
  advance(ms: number): void;
  setScale(scale: number): void;
}

export class ScaledClock implements EmulatorClock {
  private realAnchor = Date.now();
  private emulatedAnchor: number;
  private scale: number;

  constructor(scale = 1, startAt = Date.now()) {
    if (!(scale > 0)) throw new Error(`clockScale must be positive, got ${scale}`);
    this.scale = scale;
    this.emulatedAnchor = startAt;
  }

  now(): number {
    return Math.floor(this.emulatedAnchor + (Date.now() - this.realAnchor) * this.scale);
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('The emulated clock only moves forward');
    this.emulatedAnchor += ms;
  }

  setScale(scale: number): void {
    if (!(scale > 0)) throw new Error(`clock scale must be positive, got ${scale}`);
    this.rebase();
    this.scale = scale;
  }

  get currentScale(): number {
    return this.scale;
  }

  private rebase(): void {
    const now = this.now();
    this.realAnchor = Date.now();
    this.emulatedAnchor = now;
  }
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
