/** Vietnamese messages come from the campaign's rules; this fills their {placeholders}. */

export type MessageParams = Record<string, string | number | null | undefined>;

export function fillTemplate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** Numbers the Vietnamese way: 1.234.567 and 1,5. */
export function formatViNumber(value: number): string {
  const negative = value < 0;
  const [intPart, frac] = Math.abs(value).toString().split('.') as [string, string | undefined];
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

/** Quotes what a person typed, cut short so a 50,000-character paste stays readable. */
export function quoteTyped(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
