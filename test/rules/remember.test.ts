import { expect } from 'chai';
import { fail, pass } from '../../src/engine/outcome.js';
import instanceRoleGrantsVss from '../../rules/instance-role-grants-vss.js';
import instanceRunning from '../../rules/instance-running.js';
import { remembering } from '../../rules/lib/remember.js';
import { subject, windowsInstance } from '../fixtures/facts.js';

describe('remembering: one outcome per distinct inputs', () => {
  it('returns the same frozen outcome for the same inputs, judging once', () => {
    const remember = remembering();
    let judged = 0;
    const judge = () => (judged++, pass('Same facts.', { State: 'running' }));
    const first = remember(windowsInstance({ instanceId: 'i-00000000000000001' }), ['running'], judge);
    const second = remember(windowsInstance({ instanceId: 'i-00000000000000002' }), ['running'], judge);
    expect(second).to.equal(first);
    expect(judged).to.equal(1);
    expect(Object.isFrozen(first) && Object.isFrozen(first.evidence)).to.equal(true);
  });

  it('judges again for other inputs, another account or another region', () => {
    const remember = remembering();
    const judge = () => pass('Same facts.');
    const first = remember(windowsInstance(), ['running'], judge);
    expect(remember(windowsInstance(), ['stopped'], judge)).to.not.equal(first);
    expect(remember(windowsInstance({ accountId: '444455556666' }), ['running'], judge)).to.not.equal(first);
    expect(remember(windowsInstance({ region: 'us-east-1' }), ['running'], judge)).to.not.equal(first);
  });

  it('tells objects apart by identity, not content', () => {
    const remember = remembering();
    const judge = () => pass('Same facts.');
    expect(remember(windowsInstance(), [{ a: 1 }], judge)).to.not.equal(remember(windowsInstance(), [{ a: 1 }], judge));
  });

  it('never hands an outcome that names its instance to another instance', () => {
    const remember = remembering();
    const judge = (id: string) => () => fail('Stopped.', {}, `aws ec2 start-instances --instance-ids ${id}`);
    const a = windowsInstance({ instanceId: 'i-0000000000000000a' });
    const b = windowsInstance({ instanceId: 'i-0000000000000000b' });
    expect(remember(a, ['stopped'], judge(a.instanceId)).fix).to.contain(a.instanceId);
    expect(remember(b, ['stopped'], judge(b.instanceId)).fix).to.contain(b.instanceId);
  });
});

describe('rules that remember', () => {
  it('instance-role-grants-vss gives instances of the same profile and role one outcome', () => {
    const shared = subject();
    const a = instanceRoleGrantsVss.evaluate({ ...shared, instance: windowsInstance({ instanceId: 'i-00000000000000011' }) });
    const b = instanceRoleGrantsVss.evaluate({ ...shared, instance: windowsInstance({ instanceId: 'i-00000000000000012' }) });
    expect(a.status).to.equal('pass');
    expect(b).to.equal(a);
  });

  it('instance-running shares its pass but gives each stopped instance its own start command', () => {
    const running = (id: string) => instanceRunning.evaluate(subject({ instance: windowsInstance({ instanceId: id }) }));
    expect(running('i-00000000000000021')).to.equal(running('i-00000000000000022'));
    const stopped = (id: string) => instanceRunning.evaluate(subject({ instance: windowsInstance({ instanceId: id, state: 'stopped' }) }));
    expect(stopped('i-00000000000000023').fix).to.contain('i-00000000000000023');
    expect(stopped('i-00000000000000024').fix).to.contain('i-00000000000000024');
  });
});
