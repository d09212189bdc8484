/** Shared bits for the fake-aws tests. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { WorldInput } from './world.js';

/** The example world (also usable with serve.ts). A fresh deep copy each call. */
export function exampleWorld(): WorldInput {
  return JSON.parse(readFileSync(new URL('./example-world.json', import.meta.url), 'utf8')) as WorldInput;
}

export interface AwsError extends Error {
  $metadata: { httpStatusCode?: number; attempts?: number; requestId?: string };
  $fault?: string;
}

/** Await a rejected SDK call and check the AWS error code (exception name) and HTTP status. */
export async function expectAwsError(p: Promise<unknown>, name: string, status: number): Promise<AwsError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${name} but the call succeeded`).to.be.instanceOf(Error);
  const err = caught as AwsError;
  expect(err.name, err.message).to.equal(name);
  expect(err.$metadata?.httpStatusCode).to.equal(status);
  expect(err.$metadata?.requestId).to.be.a('string').and.not.empty;
  return err;
}
