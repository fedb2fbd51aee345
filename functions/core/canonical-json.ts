/** JSON with sorted keys, so equal content always hashes equal. */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, value) => {
    if (value instanceof Set) return [...value].sort();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, (value as Record<string, unknown>)[k]]),
      );
    }
    return value;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function contentHashOf(value: unknown): string {
  return sha256(canonicalJson(value));
}
