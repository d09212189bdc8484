/**
 * AWS Organizations (awsJson1_1, target prefix AWSOrganizationsV20161128): ListAccounts.
 * Error messages as the API model documents the exceptions; their HTTP statuses are not
 * documented (400 here, which the SDK does not look at).
 */
import type { Ctx, JsonHandler } from './context.js';
import { ApiError } from './errors.js';
import { paginate } from './paginate.js';

const invalidInput = (message: string, reason: string) => new ApiError('InvalidInputException', message, 400, { Reason: reason });

/**
 * Only the management account and a delegated administrator may list accounts; any other member
 * gets AccessDeniedException, an account outside an organization AWSOrganizationsNotInUseException.
 * (API_ListAccounts: "This operation can be called only from the organization's management
 * account or by a member account that is a delegated administrator.")
 */
function listAccounts(ctx: Ctx): Record<string, unknown> {
  const org = ctx.world.organization;
  const member = org?.accounts.some((a) => a.id === ctx.world.accountId);
  if (!org || (!member && (org.managementAccountId ?? ctx.world.accountId) !== ctx.world.accountId)) {
    throw new ApiError('AWSOrganizationsNotInUseException', "Your account isn't a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.", 400);
  }
  const management = org.managementAccountId ?? org.accounts[0]?.id;
  if (ctx.world.accountId !== management && !org.delegatedAdministrators.includes(ctx.world.accountId)) {
    throw new ApiError('AccessDeniedException', "You don't have permissions to perform the requested operation. The user or role that is making the request must have at least one IAM permissions policy attached that grants the required permissions.", 400);
  }
  const max = ctx.params['MaxResults'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 20)) {
    const low = typeof max === 'number' && max < 1;
    throw invalidInput(`You provided a value that does not match the required pattern: MaxResults must be ${low ? 'at least 1' : 'at most 20'}.`, low ? 'MIN_VALUE_EXCEEDED' : 'MAX_VALUE_EXCEEDED');
  }
  const token = typeof ctx.params['NextToken'] === 'string' ? (ctx.params['NextToken'] as string) : undefined;
  // The default page size is not documented; 20 (the maximum) here.
  const page = paginate(org.accounts, {
    token,
    requested: max as number | undefined,
    defaultSize: 20,
    cap: ctx.cap,
    params: ctx.params,
    badToken: () => invalidInput('The NextToken value is not valid.', 'INVALID_NEXT_TOKEN'),
  });
  const orgId = `o-${management}`.slice(0, 12);
  return {
    Accounts: page.items.map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${management}:account/${orgId}/${a.id}`,
      Email: a.email,
      Name: a.name,
      // Status was retired on 2026-09-09 in favour of State (Account shape, Organizations API reference).
      State: a.state,
      JoinedMethod: a.id === management ? 'CREATED' : 'INVITED',
      JoinedTimestamp: Date.parse(a.joinedTimestamp) / 1000,
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export const organizationsHandlers: Record<string, JsonHandler> = { ListAccounts: listAccounts };
