import { expect } from 'chai';
import rule from '../../rules/manual-checks.js';
import { linuxInstance, subject, windowsInstance } from '../fixtures/facts.js';

// No read-only API sees these checks: the rule only ever skips (severity info), never passes.
const cases = [
  { name: 'Windows: the checks to run by hand', s: subject(), status: 'skip', says: '.NET Framework 4.6 or later, Windows PowerShell 3 to 5 in FullLanguage mode' },
  { name: 'Windows in another region', s: subject({ instance: windowsInstance({ region: 'ap-southeast-2' }) }), status: 'skip', says: 'healthy VSS writers' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule manual-checks', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('is informational', () => {
    expect(rule.severity).to.equal('info');
  });

  it('names every check in the message', () => {
    const { message } = rule.evaluate(subject());
    for (const check of ['proxy', 'IMDS', 'AWS Tools for Windows PowerShell 3.3.48.0', 'third-party VSS backup software']) expect(message).to.contain(check);
  });

  it('the fix is PowerShell for the instance\'s region, one check per line', () => {
    const fix = rule.evaluate(subject()).fix ?? '';
    expect(fix).not.to.contain('i-0a1b2c3d4e5f60718');
    const lines = fix.split('\n');
    expect(lines).to.include(`(Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full').Release  # 393295 or more = .NET Framework 4.6+`);
    expect(lines).to.include('$PSVersionTable.PSVersion; $ExecutionContext.SessionState.LanguageMode  # Major 3, 4 or 5; FullLanguage');
    expect(lines).to.include('vssadmin list writers  # every writer: Last error: No error');
    expect(lines.some((l) => l.startsWith('netsh winhttp show proxy'))).to.equal(true);
    expect(lines.some((l) => l.startsWith('Test-NetConnection ec2.eu-west-1.amazonaws.com -Port 443'))).to.equal(true);
    expect(rule.evaluate(subject({ instance: windowsInstance({ region: 'ap-southeast-2' }) })).fix).to.contain('Test-NetConnection ec2.ap-southeast-2.amazonaws.com -Port 443');
  });

  it('Linux gets no fix', () => {
    expect(rule.evaluate(subject({ instance: linuxInstance() })).fix).to.equal(undefined);
  });

  it('gives every Windows instance of a region the same frozen outcome, and another region its own', () => {
    const first = rule.evaluate(subject({ instance: windowsInstance({ instanceId: 'i-0000000000000000a' }) }));
    const second = rule.evaluate(subject({ instance: windowsInstance({ instanceId: 'i-0000000000000000b' }) }));
    expect(second).to.equal(first);
    expect(Object.isFrozen(first)).to.equal(true);
    expect(rule.evaluate(subject({ instance: windowsInstance({ region: 'ap-southeast-2' }) }))).not.to.equal(first);
  });
});
