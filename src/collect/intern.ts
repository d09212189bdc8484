/**
 * One copy of each distinct string. The SDK's parsers make a new string for every value of every
 * page, so 50,000 instances hold 50,000 copies of "running", of their instance type, platform,
 * account id, profile ARN... (350 bytes an instance in issue 7's 50,000-instance scan, kept
 * to the end of the run). Give each listing its own, so the table goes with the listing.
 */
export type Intern = <S extends string | null>(value: S) => S;

export function interner(): Intern {
  const seen = new Map<string, string>();
  return <S extends string | null>(value: S): S => {
    if (value === null) return value;
    const kept = seen.get(value);
    if (kept !== undefined) return kept as S;
    seen.set(value, value);
    return value;
  };
}
