import { defineRule, fail, pass, skip, warn } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import type { InstanceFacts, ScpFacts } from '../src/facts/snapshot.js';
import { notWindows, platformOf } from './lib/platform.js';

const FIND_SCP = (account: string) =>
  `From the organization's management account: aws organizations list-policies-for-target --target-id ${account} --filter SERVICE_CONTROL_POLICY ` +
  '(and for each parent OU); exempt the instance roles from the Deny on these EC2 actions.';

export default defineRule({
  id: 'scp-allows-vss',
  title: 'No service control policy blocks the VSS snapshot requests',
  severity: 'warning',
  consequence: 'vss-fallback',
  outcomes: ['pass', 'fail', 'warn', 'skip'],
  why:
    'A service control policy can deny ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages or ec2:DescribeInstanceAttribute to every role in the account, ' +
    'whatever the role\'s own policies allow; the VSS attempt then fails and the job says Completed with issues. SCPs are not readable from a member account, ' +
    'but the IAM policy simulator applies them.',
  detection:
    'iam:SimulatePrincipalPolicy once per account and region, with an instance role as the principal and aws:RequestedRegion set: ' +
    'EvaluationResults[].OrganizationsDecisionDetail.AllowedByOrganizations for the four EC2 actions.',
  fix: 'Change the SCP so that it does not deny these EC2 actions to the instance roles (for example with an ArnNotLike aws:PrincipalArn exception).',
  sources: [
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html',
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_OrganizationsDecisionDetail.html',
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  ],
  unverified:
    'The simulator\'s handling of SCP conditions is reported as unreliable (github.com/aws/aws-sdk/issues/102); the simulator does not name the SCP; ' +
    'an SCP whose conditions depend on the principal is judged for the simulated role only. When the simulator cannot be called the finding is a warning, ' +
    'not unknown, so that a missing iam:SimulatePrincipalPolicy permission does not hide every other verdict.',
  evaluate({ instance, scps }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (!scps) return skip('No instance role in this account and region could be simulated, so SCPs were not checked.');
    // The simulation is per account and region, and so is what it says: one outcome for all their instances.
    let byRegion = judged.get(scps);
    if (!byRegion) judged.set(scps, (byRegion = new Map()));
    let byAccount = byRegion.get(instance.region);
    if (!byAccount) byRegion.set(instance.region, (byAccount = new Map()));
    let outcome = byAccount.get(instance.accountId);
    if (!outcome) byAccount.set(instance.accountId, (outcome = judgeScps(scps, instance)));
    return outcome;
  },
});

const judged = new WeakMap<ScpFacts, Map<string, Map<string, Outcome>>>();

/** `instance` stands for every instance of its account and region: only those are read. */
function judgeScps(scps: ScpFacts, instance: InstanceFacts): Outcome {
  if (!scps.known) {
    return warn(`SCPs could not be checked: ${scps.reason}.`, {}, 'Allow iam:SimulatePrincipalPolicy for the scanning identity to see service control policies.');
  }
  const { principal, allowedByOrganizations } = scps.value;
  const evidence = { SimulatedPrincipal: principal, ...Object.fromEntries(Object.entries(allowedByOrganizations).map(([a, v]) => [`${a} AllowedByOrganizations`, v])) };
  const blocked = Object.entries(allowedByOrganizations).filter(([, allowed]) => allowed === false).map(([action]) => action);
  if (blocked.length) {
    return fail(`A service control policy denies ${blocked.join(', ')} in ${instance.region} (per the IAM policy simulator).`, evidence, FIND_SCP(instance.accountId));
  }
  const governed = Object.values(allowedByOrganizations).some((v) => v === true);
  return pass(governed ? `Service control policies allow the VSS EC2 actions in ${instance.region}.` : 'The simulator reports no service control policy for this account.', evidence);
}
