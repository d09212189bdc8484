/** A world with AWS Backup plans, selections and jobs, shared by the Backup tests of the fake. */
import type { WorldInput } from './world.js';

export const ACCOUNT = '111122223333';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;
export const arnOf = (id: string, region = 'eu-west-1') => `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`;
export const SQL = arnOf('i-0a1b2c3d4e5f60001');
export const APP = arnOf('i-0a1b2c3d4e5f60004');

export function backupWorld(): WorldInput {
  return {
    accountId: ACCOUNT,
    regions: {
      'eu-west-1': {
        backupPlans: [
          {
            id: 'plan-vss',
            name: 'vss-daily',
            windowsVss: 'enabled',
            creationDate: '2025-12-01T10:00:00Z',
            rules: [{ name: 'Daily', targetBackupVaultName: 'Primary' }],
            selections: [
              { id: 'sel-arns', name: 'by-arn', iamRoleArn: ROLE, resources: [SQL, 'arn:aws:ec2:*:*:instance/*'], notResources: [APP] },
              { id: 'sel-tags', name: 'by-tag', iamRoleArn: ROLE, listOfTags: [{ conditionKey: 'Backup', conditionValue: 'vss' }] },
              {
                id: 'sel-conds',
                name: 'by-condition',
                iamRoleArn: ROLE,
                resources: ['*'],
                conditions: {
                  stringEquals: [{ conditionKey: 'aws:ResourceTag/Backup', conditionValue: 'vss' }],
                  stringNotEquals: [{ conditionKey: 'aws:ResourceTag/Stage', conditionValue: 'test' }],
                  stringLike: [{ conditionKey: 'aws:ResourceTag/Name', conditionValue: 'sql-*' }],
                  stringNotLike: [{ conditionKey: 'aws:ResourceTag/Owner', conditionValue: '*temp*' }],
                },
              },
            ],
          },
          { id: 'plan-plain', name: 'crash-consistent' },
          { id: 'plan-off', name: 'vss-off', windowsVss: 'disabled' },
        ],
        backupJobs: [
          {
            id: 'job-vss-ok', resourceArn: SQL, state: 'COMPLETED', planId: 'plan-vss', backupVaultName: 'Primary',
            backupOptions: { WindowsVSS: 'enabled' }, backupType: 'WindowsVSS',
            creationDate: '2026-01-03T05:00:00Z', completionDate: '2026-01-03T05:20:00Z',
          },
          {
            id: 'job-vss-issues', resourceArn: SQL, state: 'COMPLETED', planId: 'plan-vss', backupOptions: { WindowsVSS: 'enabled' },
            statusMessage: 'Windows VSS Backup Job Error encountered, trying for regular backup', messageCategory: 'AccessDenied',
            creationDate: '2026-01-02T05:00:00Z', completionDate: '2026-01-02T05:30:00Z',
          },
          { id: 'job-failed', resourceArn: SQL, state: 'FAILED', statusMessage: 'Backup job failed', creationDate: '2026-01-01T05:00:00Z' },
          { id: 'job-app', resourceArn: APP, state: 'COMPLETED', creationDate: '2026-01-02T06:00:00Z', completionDate: '2026-01-02T06:10:00Z' },
          { id: 'job-running', resourceArn: APP, state: 'RUNNING', creationDate: '2026-01-03T06:00:00Z' },
        ],
      },
      'us-east-1': {
        backupJobs: [{ id: 'job-other-region', resourceArn: arnOf('i-0ffff', 'us-east-1'), state: 'COMPLETED', creationDate: '2026-01-01T00:00:00Z' }],
      },
    },
  };
}
