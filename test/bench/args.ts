/**
 * The bench's command line (`npm run bench -- ...`), apart from the script that runs when it is
 * imported, so it can be tested: a bad argument is one line naming it, for a `bench:` error.
 */

/**
 * How the fake's GetInventory applies several filters on one inventory type, which AWS does not
 * document (test/fake-aws/world.ts inventoryFilterMatch): it decides how many instances the
 * Version filters settle, so the benchmark can measure both.
 */
export const FILTER_MATCHES = ['per-node', 'per-entry'] as const;
export type FilterMatch = (typeof FILTER_MATCHES)[number];

export interface BenchArgs {
  scenario: string;
  filterMatch: FilterMatch;
  runs: number;
  /** A folder for a V8 CPU profile of each CLI run (node --cpu-prof), to see where its time went. */
  cpuProfDir?: string;
}

export const usage = (scenarios: readonly string[]) =>
  `usage: npm run bench [-- --scenario ${scenarios.join('|')}] [--inventory-filters ${FILTER_MATCHES.join('|')}] [--runs N] [--cpu-prof DIR]   (default small, per-node, 1, no profile)`;

/** `--name value` or `--name=value`; `help` for --help or -h. */
export function parseBenchArgs(argv: readonly string[], scenarios: readonly string[]): BenchArgs | 'help' {
  const given: Record<string, string> = { scenario: 'small', 'inventory-filters': 'per-node', runs: '1', 'cpu-prof': '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return 'help';
    const [, name, inline] = /^--([a-z-]+)(?:=(.*))?$/s.exec(a) ?? [];
    if (name === undefined || !(name in given)) throw new Error(`unknown argument "${a}"; try --help`);
    given[name] = inline ?? argv[++i] ?? '';
  }
  const { scenario, 'inventory-filters': filterMatch, runs, 'cpu-prof': cpuProfDir } = given as Record<'scenario' | 'inventory-filters' | 'runs' | 'cpu-prof', string>;
  if (!scenarios.includes(scenario)) throw new Error(`unknown scenario "${scenario}": choose from ${scenarios.join(', ')}`);
  if (!(FILTER_MATCHES as readonly string[]).includes(filterMatch)) throw new Error(`unknown --inventory-filters "${filterMatch}": choose from ${FILTER_MATCHES.join(', ')}`);
  if (!/^[1-9]\d?$/.test(runs)) throw new Error(`--runs takes a number of runs from 1 to 99, got "${runs}"`);
  if (argv.some((a) => a.startsWith('--cpu-prof')) && !cpuProfDir) throw new Error('--cpu-prof takes the folder to write the CLI\'s CPU profiles to');
  return { scenario, filterMatch: filterMatch as FilterMatch, runs: Number(runs), ...(cpuProfDir ? { cpuProfDir } : {}) };
}

/** The middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (!values.length) throw new Error('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
