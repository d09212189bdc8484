import { expect } from 'chai';
import rule from '../../rules/no-multi-attach-volumes.js';
import { denied, linuxInstance, region, subject } from '../fixtures/facts.js';

const SELF = 'i-0a1b2c3d4e5f60718';
const PEER = 'i-0b2c3d4e5f6071829';
const withVolumes = (byInstance: Record<string, string[]>) => subject({ region: region(null, { multiAttachVolumes: { known: true, value: byInstance } }) });

const cases = [
  { name: 'no Multi-Attach volume in the region', s: subject(), status: 'pass', says: 'No Multi-Attach EBS volume is attached' },
  { name: 'Multi-Attach volumes on other instances only', s: withVolumes({ [PEER]: ['vol-0aaa1111bbbb2222c'] }), status: 'pass', says: 'No Multi-Attach EBS volume is attached' },
  { name: 'Multi-Attach enabled but attached here only', s: withVolumes({ [SELF]: ['vol-0aaa1111bbbb2222c'] }), status: 'pass', says: 'vol-0aaa1111bbbb2222c is attached to this instance only' },
  {
    name: 'shared cluster disk: primary node unknown',
    s: withVolumes({ [SELF]: ['vol-0aaa1111bbbb2222c'], [PEER]: ['vol-0aaa1111bbbb2222c'] }),
    status: 'unknown',
    says: `vol-0aaa1111bbbb2222c is also attached to ${PEER}, so VSS succeeds only if ${SELF} is the cluster's primary node`,
  },
  {
    name: 'DescribeVolumes denied',
    s: subject({ region: region(null, { multiAttachVolumes: denied('ec2:DescribeVolumes') }) }),
    status: 'unknown',
    says: 'ec2:DescribeVolumes was denied',
  },
  { name: 'region facts missing', s: subject({ region: undefined }), status: 'unknown', says: 'not collected for eu-west-1' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule no-multi-attach-volumes', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('a shared disk names both nodes in the fix and the evidence', () => {
    const out = rule.evaluate(withVolumes({ [SELF]: ['vol-0aaa1111bbbb2222c', 'vol-0ddd3333eeee4444f'], [PEER]: ['vol-0aaa1111bbbb2222c'] }));
    expect(out.fix).to.contain(`primary node only`).and.to.contain(`${SELF}, ${PEER}`);
    expect(out.evidence).to.include({ MultiAttachEnabled: true, VolumeId: 'vol-0aaa1111bbbb2222c, vol-0ddd3333eeee4444f', 'Attachments.InstanceId': `${SELF}, ${PEER}` });
  });
});
