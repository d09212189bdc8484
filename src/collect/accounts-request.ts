import { UserError } from '../errors.js';

/*
 * The multi-account options, checked before anything reads AWS: this module loads no SDK, so a
 * command that never calls AWS (scan --facts) can validate them without loading it.
 */

/** What --accounts/--org, --role-name, --external-id and --max-accounts ask for, validated. */
export interface AccountsRequest {
  accounts: string[] | 'org';
  roleName: string;
  externalId?: string;
  maxAccounts: number;
}

export const DEFAULT_MAX_ACCOUNTS = 4;
const ACCOUNT_ID = /^\d{12}$/;
/** IAM RoleName ([\w+=,.@-]{1,64}), optionally behind a path: `path/to/Name`. */
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** STS AssumeRole ExternalId: [\w+=,.@:/-]*, 2 to 1224 characters. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export interface AccountsArgs {
  accounts?: string | undefined;
  org?: boolean | undefined;
  'role-name'?: string | undefined;
  'external-id'?: string | undefined;
  'max-accounts'?: number | undefined;
}

/** Validate the multi-account options; undefined when none is given (one account, the caller's). */
export function parseAccountsRequest(argv: AccountsArgs): AccountsRequest | undefined {
  const { org, accounts, 'role-name': roleName, 'external-id': externalId, 'max-accounts': maxAccounts } = argv;
  if (org && accounts !== undefined) throw new UserError('give --org or --accounts, not both: --org scans every active account of the organization');
  if (!org && accounts === undefined) {
    const stray = roleName !== undefined ? '--role-name' : externalId !== undefined ? '--external-id' : maxAccounts !== undefined ? '--max-accounts' : undefined;
    if (stray) throw new UserError(`${stray} applies to a multi-account scan: add --accounts ID,ID or --org`);
    return undefined;
  }
  let list: string[] | 'org' = 'org';
  if (accounts !== undefined) {
    list = [...new Set(accounts.split(',').map((a) => a.trim()).filter(Boolean))];
    if (!list.length) throw new UserError('--accounts is empty: give 12-digit account ids, e.g. --accounts 111122223333,444455556666');
    const bad = list.find((a) => !ACCOUNT_ID.test(a));
    if (bad) throw new UserError(`--accounts: "${bad}" is not an AWS account id (12 digits, e.g. 111122223333)`);
  }
  if (roleName === undefined || roleName === '') throw new UserError(`${org ? '--org' : '--accounts'} needs --role-name: the IAM role to assume in each account, e.g. --role-name VssPreflightReadOnly`);
  if (!ROLE_NAME.test(roleName)) throw new UserError(`--role-name "${roleName}" is not an IAM role name (letters, digits and +=,.@_- up to 64, optionally behind a path/); give the name, not the ARN`);
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) throw new UserError('--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/_-');
  if (maxAccounts !== undefined && (!Number.isInteger(maxAccounts) || maxAccounts < 1)) throw new UserError(`--max-accounts must be a whole number of 1 or more, got ${maxAccounts}`);
  return { accounts: list, roleName, ...(externalId !== undefined ? { externalId } : {}), maxAccounts: maxAccounts ?? DEFAULT_MAX_ACCOUNTS };
}
