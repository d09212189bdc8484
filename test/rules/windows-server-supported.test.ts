import { expect } from 'chai';
import rule from '../../rules/windows-server-supported.js';
import { denied, linuxInstance, onlineNode, subject, windowsInstance } from '../fixtures/facts.js';

const os = (platformName: string | null, platformVersion: string | null) =>
  subject({ instance: windowsInstance({ ssm: { known: true, value: onlineNode({ platformName, platformVersion }) } }) });

const cases = [
  { name: 'Windows Server 2022', s: subject(), status: 'pass', says: 'Microsoft Windows Server 2022 Datacenter 10.0.20348 (Windows Server 2022)' },
  { name: 'Windows Server 2016', s: os('Microsoft Windows Server 2016 Datacenter', '10.0.14393'), status: 'pass', says: '10.0.14393 (Windows Server 2016)' },
  { name: 'Windows Server 2019', s: os('Microsoft Windows Server 2019 Datacenter', '10.0.17763'), status: 'pass', says: 'Windows Server 2019' },
  { name: 'Windows Server 2025 (build 26100)', s: os('Microsoft Windows Server 2025 Datacenter', '10.0.26100'), status: 'pass', says: '10.0.26100' },
  { name: 'a semi-annual build', s: os('Microsoft Windows Server Datacenter', '10.0.19041'), status: 'pass', says: 'build 19041' },
  {
    name: '2012 R2: the sources conflict',
    s: os('Microsoft Windows Server 2012 R2 Standard', '6.3.9600'),
    status: 'unknown',
    says: 'Supported Versions are Windows Server 2012 or later',
  },
  { name: '2012: the sources conflict', s: os('Microsoft Windows Server 2012 Standard', '6.2.9200'), status: 'unknown', says: 'Windows Server 2016 and later' },
  { name: '2008 R2', s: os('Microsoft Windows Server 2008 R2 Datacenter', '6.1.7601'), status: 'fail', says: '6.1.7601 (Windows Server 2008 R2) predates Windows Server 2012' },
  { name: '2008', s: os('Microsoft Windows Server 2008 Datacenter', '6.0.6002'), status: 'fail', says: '6.0.6002 predates' },
  { name: 'client Windows', s: os('Microsoft Windows 10 Pro', '10.0.19045'), status: 'warn', says: 'PlatformName Microsoft Windows 10 Pro (10.0.19045) is not Windows Server' },
  { name: 'not managed: only SSM reports the version', s: subject({ instance: windowsInstance({ ssm: { known: true, value: null } }) }), status: 'unknown', says: 'only SSM reports' },
  {
    name: 'DescribeInstanceInformation denied',
    s: subject({ instance: windowsInstance({ ssm: denied('ssm:DescribeInstanceInformation') }) }),
    status: 'unknown',
    says: 'ssm:DescribeInstanceInformation was denied',
  },
  { name: 'no PlatformVersion', s: os('Microsoft Windows Server 2022 Datacenter', null), status: 'unknown', says: 'PlatformVersion null' },
  { name: 'PlatformVersion not a number', s: os('Microsoft Windows Server 2022 Datacenter', 'latest'), status: 'unknown', says: 'PlatformVersion latest' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule windows-server-supported', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('evidence keeps the SSM field names', () => {
    expect(rule.evaluate(subject()).evidence).to.deep.equal({ PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' });
  });

  it('the 2012 R2 unknown names both sides and the 2012R2 document version', () => {
    const out = rule.evaluate(os('Microsoft Windows Server 2012 R2 Standard', '6.3.9600'));
    expect(out.message).to.contain('AwsVssComponents 2.1.0').and.contain('"2012R2"').and.contain('6.3.9600');
    expect(out.fix).to.contain('--resource-arn arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60718');
  });

  it('the fail fix upgrades the real instance to a Windows Server 2022 AMI', () => {
    const out = rule.evaluate(os('Microsoft Windows Server 2008 R2 Datacenter', '6.1.7601'));
    expect(out.fix).to.contain('i-0a1b2c3d4e5f60718 in eu-west-1');
    expect(out.fix).to.contain('aws ssm get-parameter --region eu-west-1 --name /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base');
  });
});
