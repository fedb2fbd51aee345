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

  advance(milliseconds: number): void {
    if (milliseconds < 0) throw new Error('The emulated clock only moves forward');
    this.emulatedAnchor += milliseconds;
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

/**
 * Google's clock as the local demo needs it: it reads an outside source (the demo's simulated
 * business clock), so the times Google stamps on files, revisions and changes are the
 * simulated ones: a clerk who ticks at 20:57 on the simulated 14/07 gets a Drive
 * modifiedTime of 20:57 on 14/07. `advance` adds to the source (tests can still move it);
 * scale belongs to the quota clock, which keeps measuring emulated minutes (quotas.ts).
 */
export class FollowingClock implements EmulatorClock {
  private offset = 0;

  constructor(
    private readonly source: () => number,
    private readonly onSetScale: (scale: number) => void = () => undefined,
  ) {}

  now(): number {
    return Math.floor(this.source() + this.offset);
  }

  advance(milliseconds: number): void {
    if (milliseconds < 0) throw new Error('The emulated clock only moves forward');
    this.offset += milliseconds;
  }

  setScale(scale: number): void {
    this.onSetScale(scale);
  }
}

export function isoAt(milliseconds: number): string {
  return new Date(milliseconds).toISOString();
}
