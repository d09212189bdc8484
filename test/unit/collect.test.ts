import { expect } from 'chai';
import { classify, ErrorLog } from '../../src/collect/aws-error.js';
import { findVssComponents, isVssComponents } from '../../src/collect/vss-package.js';

const awsError = (name: string) => Object.assign(new Error(`${name} happened`), { name, $fault: 'client', $metadata: { requestId: 'req-1', httpStatusCode: 400 } });
const site = { service: 'iam', action: 'GetRole', region: null };

describe('AWS error classification', () => {
  for (const name of ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']) {
    it(`${name} is a denial naming the action`, () => {
      expect(classify(awsError(name), site).reason).to.equal('iam:GetRole was denied; allow it for the scanning identity');
    });
  }

  it('another AWS error names its code and request id', () => {
    expect(classify(awsError('ServiceUnavailable'), { ...site, region: 'eu-west-1' }).reason).to.equal('iam:GetRole failed in eu-west-1: ServiceUnavailable (request req-1)');
  });

  it('a network failure is a fact, not a crash', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classify(err, site).error.code).to.equal('ECONNREFUSED');
  });

  it('our own bugs are rethrown', () => {
    expect(() => classify(new TypeError('x is undefined'), site)).to.throw(TypeError);
  });

  it('lists identical errors once with a count, in a stable order', async () => {
    const log = new ErrorLog();
    for (const action of ['ListInventoryEntries', 'GetRole', 'ListInventoryEntries']) {
      await log.attempt({ service: 'ssm', action, region: 'eu-west-1' }, () => Promise.reject(awsError('AccessDeniedException')));
    }
    expect(log.list().map((e) => [e.action, e.count])).to.deep.equal([
      ['GetRole', 1],
      ['ListInventoryEntries', 2],
    ]);
  });
});

describe('AwsVssComponents inventory match', () => {
  const cases: { row: Record<string, string>; match: boolean }[] = [
    { row: { Name: 'AwsVssComponents', Publisher: '' }, match: true },
    { row: { Name: 'awsvsscomponents' }, match: true },
    { row: { Name: 'AWS VSS Components', Publisher: 'Amazon Web Services' }, match: true },
    { row: { Name: 'AWS VSS Components', Publisher: 'Contoso' }, match: false },
    { row: { Name: 'AwsVssComponentsHelper', Publisher: 'Amazon Web Services' }, match: false },
    { row: { Name: 'AWSNVMe', Publisher: 'Amazon Web Services' }, match: false },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.row)} → ${c.match}`, () => expect(isVssComponents(c.row)).to.equal(c.match));
  }

  it('keeps the name, version and publisher of the match', () => {
    expect(findVssComponents('AWS:AWSComponent', [{ Name: 'AWSNVMe' }, { Name: 'AwsVssComponents', Version: '2.3.1', Publisher: 'Amazon Web Services' }])).to.deep.equal({
      typeName: 'AWS:AWSComponent',
      name: 'AwsVssComponents',
      version: '2.3.1',
      publisher: 'Amazon Web Services',
    });
  });
});
