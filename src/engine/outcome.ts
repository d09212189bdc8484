import type { Consequence, Evidence, Outcome, Rule } from './types.js';

/** Identity helper that type-checks a rule definition. */
export const defineRule = (rule: Rule): Rule => rule;

export const pass = (message: string, evidence: Evidence = {}): Outcome => ({ status: 'pass', message, evidence });
export const skip = (message: string, evidence: Evidence = {}): Outcome => ({ status: 'skip', message, evidence });
/** `fix`, when given, says how to make the fact knowable. */
export const unknown = (message: string, evidence: Evidence = {}, fix?: string): Outcome => ({
  status: 'unknown',
  message,
  evidence,
  ...(fix ? { fix } : {}),
});
export const fail = (message: string, evidence: Evidence, fix: string, consequence?: Consequence): Outcome => ({
  status: 'fail',
  message,
  evidence,
  fix,
  ...(consequence ? { consequence } : {}),
});
export const warn = (message: string, evidence: Evidence, fix: string): Outcome => ({ status: 'warn', message, evidence, fix });
