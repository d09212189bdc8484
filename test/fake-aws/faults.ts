/** Injected failures (world.faults) and the account's region opt-in rules. */
import { callerArn } from './context.js';
import { ApiError, errorCodes, throttlingError, type Service } from './errors.js';
import type { World } from './world.js';

const matches = (rule: { service: string; action: string; region?: string | undefined }, service: string, action: string, region: string) =>
  rule.service === service && (rule.action === '*' || rule.action === action) && (rule.region === undefined || rule.region === region);

export class Faults {
  private readonly throttled = new Map<number, number>();

  constructor(private readonly world: World) {}

  /** Throws the error a faulted or opted-out call gets; returns normally otherwise. */
  check(service: Service, action: string, region: string): void {
    this.checkOptIn(service, region);
    this.world.faults.throttle.forEach((rule, idx) => {
      if (!matches(rule, service, action, region)) return;
      const seen = this.throttled.get(idx) ?? 0;
      if (seen >= rule.times) return;
      this.throttled.set(idx, seen + 1);
      throw throttlingError(service);
    });
    if (this.world.faults.deny.some((rule) => matches(rule, service, action, region))) {
      const [code, status] = errorCodes[service].denied;
      const who = callerArn(this.world);
      const because = `because no identity-based policy allows the ${service}:${action} action`;
      const message =
        service === 'ec2'
          ? `You are not authorized to perform this operation. User: ${who} is not authorized to perform: ec2:${action} ${because}`
          : `User: ${who} is not authorized to perform: ${service}:${action} ${because}`;
      throw new ApiError(code, message, status);
    }
  }

  /** Calls signed for a region the account has not opted into fail authentication (IAM is global). */
  private checkOptIn(service: Service, region: string): void {
    if (service === 'iam' || this.world.regions[region]?.optInStatus !== 'not-opted-in') return;
    if (service === 'ec2') throw new ApiError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    if (service === 'ssm') throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    throw new ApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }

  /** faults.maxPageSize for 'service:Action' or 'Action'. */
  pageCap(service: string, action: string): number | undefined {
    const caps = this.world.faults.maxPageSize;
    return caps[`${service}:${action}`] ?? caps[action];
  }
}
