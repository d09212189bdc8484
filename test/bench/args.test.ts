import { expect } from 'chai';
import { median, parseBenchArgs, usage } from './args.js';

const SCENARIOS = ['small', '10k', 'offline-100k'];
const parse = (...argv: string[]) => parseBenchArgs(argv, SCENARIOS);

describe('bench command line', () => {
  it('defaults to the small scenario, per-node filters, one run', () => {
    expect(parse()).to.deep.equal({ scenario: 'small', filterMatch: 'per-node', runs: 1 });
  });

  it('takes --name value and --name=value', () => {
    expect(parse('--scenario', '10k', '--inventory-filters=per-entry', '--runs', '3')).to.deep.equal({ scenario: '10k', filterMatch: 'per-entry', runs: 3 });
    expect(parse('--scenario=offline-100k', '--runs=99')).to.deep.equal({ scenario: 'offline-100k', filterMatch: 'per-node', runs: 99 });
  });

  it('--cpu-prof DIR asks for a CPU profile of each CLI run in DIR', () => {
    expect(parse('--cpu-prof', 'profiles')).to.deep.equal({ scenario: 'small', filterMatch: 'per-node', runs: 1, cpuProfDir: 'profiles' });
    expect(parse('--cpu-prof=/tmp/p', '--scenario', '10k')).to.include({ scenario: '10k', cpuProfDir: '/tmp/p' });
  });

  it('--help and -h ask for the usage line, which names every scenario', () => {
    expect(parse('--runs', '2', '--help')).to.equal('help');
    expect(parse('-h')).to.equal('help');
    expect(usage(SCENARIOS)).to.include('--scenario small|10k|offline-100k');
  });

  const refused: [string[], RegExp][] = [
    [['--scenarios', '10k'], /^unknown argument "--scenarios"; try --help$/],
    [['10k'], /^unknown argument "10k"/],
    [['--scenario', '50000'], /^unknown scenario "50000": choose from small, 10k, offline-100k$/],
    [['--scenario'], /^unknown scenario "": choose from/],
    [['--inventory-filters', 'per-type'], /^unknown --inventory-filters "per-type": choose from per-node, per-entry$/],
    [['--runs', '0'], /^--runs takes a number of runs from 1 to 99, got "0"$/],
    [['--runs=100'], /got "100"$/],
    [['--runs', 'three'], /got "three"$/],
    [['--cpu-prof'], /^--cpu-prof takes the folder to write the CLI's CPU profiles to$/],
    [['--cpu-prof='], /^--cpu-prof takes the folder/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')} in one line`, () => {
      expect(() => parse(...argv)).to.throw(message);
    });
  }
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([26.1, 24.5, 24.8])).to.equal(24.8);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(median([7])).to.equal(7);
  });

  it('refuses no values', () => {
    expect(() => median([])).to.throw('the median of no values');
  });
});
