// Amounts typed by people: "12", "12.5", "12,50" in major units → integer minor units.

/** "12", "12.5", "12.50" → minor units; undefined for anything else. */
export function parseMajorUnits(text: string): number | undefined {
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}
