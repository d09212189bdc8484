import type { FixPlanStep, InstanceReport } from '../report/schema.js';
import type { Rule } from './types.js';

/** SSM Run Command takes at most 50 instance ids per call. */
const MAX_IDS_PER_COMMAND = 50;

/**
 * Group the failing and warning findings by the action that fixes them, so an operator sees
 * "attach AWSEC2VssSnapshotPolicy to role R: fixes 37 instances" instead of 37 rows. A fix that
 * names its own instance id is generalised: instances with the same fix but for the id share a
 * step, and a command with `--instance-ids <id>` gets every id of its group (50 per command).
 */
export function buildFixPlan(instances: InstanceReport[], rules: readonly Rule[]): FixPlanStep[] {
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  const steps = new Map<string, FixPlanStep & { template: string; messages: Set<string> }>();
  for (const instance of instances) {
    for (const f of instance.findings) {
      if ((f.status !== 'fail' && f.status !== 'warn') || !f.fix || f.suppressed) continue;
      const template = f.fix.includes(instance.instanceId) ? f.fix.split(instance.instanceId).join('{instance}') : f.fix;
      const key = `${f.ruleId}\u0000${template}`;
      let step = steps.get(key);
      if (!step) {
        step = { ruleId: f.ruleId, status: f.status, action: '', command: '', instances: [], template, messages: new Set() };
        steps.set(key, step);
      }
      step.instances.push(instance.instanceId);
      step.messages.add(f.message);
    }
  }
  return [...steps.values()]
    .map(({ template, messages, ...step }) => ({
      ...step,
      // The shared message when every instance fails the same way, else what the rule wants.
      action: messages.size === 1 ? [...messages][0]! : `Not yet: ${titles.get(step.ruleId) ?? step.ruleId}.`,
      command: commandFor(template, step.instances),
    }))
    .sort((a, b) => Number(a.status === 'warn') - Number(b.status === 'warn') || b.instances.length - a.instances.length || a.ruleId.localeCompare(b.ruleId));
}

function commandFor(template: string, ids: string[]): string {
  if (!template.includes('--instance-ids {instance}')) return template.split('{instance}').join(ids.length === 1 ? ids[0]! : '<each instance>');
  const batches: string[] = [];
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_COMMAND) {
    batches.push(template.split('{instance}').join(ids.slice(i, i + MAX_IDS_PER_COMMAND).join(' ')));
  }
  return batches.join('\n');
}
