/** Whole hours from an earlier ISO time to a later one (the scan's collectedAt); undefined if either is missing. */
export function hoursBefore(earlier: string | null | undefined, later: string): number | undefined {
  if (!earlier) return undefined;
  const ms = Date.parse(later) - Date.parse(earlier);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 3_600_000);
}

/** "5 hours" / "12 days", for messages. */
export const ageText = (hours: number) => (hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.floor(hours / 24)} days`);
