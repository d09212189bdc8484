/** A service error a handler throws; server.ts renders it in the service's wire protocol. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** More members of a JSON error body, e.g. Organizations' Reason. */
    readonly extra?: Record<string, string>,
  ) {
    super(message);
  }
}

export type Service = 'ec2' | 'ssm' | 'iam' | 'sts' | 'backup' | 'organizations';

/** The error code each service uses for a given kind of failure. */
export const errorCodes: Record<Service, { denied: [string, number]; throttled: [string, number]; validation: string; unknownAction: string }> = {
  // EC2: UnauthorizedOperation 403, RequestLimitExceeded 503, InvalidParameterValue 400, InvalidAction 400.
  ec2: { denied: ['UnauthorizedOperation', 403], throttled: ['RequestLimitExceeded', 503], validation: 'InvalidParameterValue', unknownAction: 'InvalidAction' },
  // SSM (awsJson1_1): every modeled error is HTTP 400.
  ssm: { denied: ['AccessDeniedException', 400], throttled: ['ThrottlingException', 400], validation: 'ValidationException', unknownAction: 'UnknownOperationException' },
  // IAM: constraint violations are reported as ValidationError.
  iam: { denied: ['AccessDenied', 403], throttled: ['Throttling', 400], validation: 'ValidationError', unknownAction: 'InvalidAction' },
  sts: { denied: ['AccessDenied', 403], throttled: ['Throttling', 400], validation: 'ValidationError', unknownAction: 'InvalidAction' },
  // Backup (restJson1): neither error is in the Backup model; names as the SDK's retry and our
  // collectors know them, statuses unverified. Constraint violations: ValidationException (unverified).
  backup: { denied: ['AccessDeniedException', 403], throttled: ['ThrottlingException', 400], validation: 'ValidationException', unknownAction: 'UnknownOperationException' },
  // Organizations (awsJson1_1): TooManyRequestsException and InvalidInputException are in its model; statuses unverified.
  organizations: { denied: ['AccessDeniedException', 400], throttled: ['TooManyRequestsException', 400], validation: 'InvalidInputException', unknownAction: 'UnknownOperationException' },
};

/** The error a service answers a throttled call with (faults.throttle and rate limits alike). */
export function throttlingError(service: Service): ApiError {
  const [code, status] = errorCodes[service].throttled;
  return new ApiError(code, service === 'ec2' ? 'Request limit exceeded.' : 'Rate exceeded', status);
}

export function validationError(service: Service, message: string): ApiError {
  return new ApiError(errorCodes[service].validation, message, 400);
}

/** Validate an integer page-size parameter against the API model's range. */
export function checkRange(service: Service, param: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw validationError(service, `Invalid value '${String(value)}' for ${param}: expected an integer`);
  if (n < min || n > max) {
    if (service === 'ec2') {
      throw new ApiError('InvalidParameterValue', `Value ( ${n} ) for parameter ${param} is invalid. Expecting a value between ${min} and ${max}.`);
    }
    const lower = param.charAt(0).toLowerCase() + param.slice(1);
    const bound = n < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
    throw validationError(service, `1 validation error detected: Value '${n}' at '${lower}' failed to satisfy constraint: Member must have value ${bound}`);
  }
  return n;
}
