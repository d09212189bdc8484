import type { Consequence, Evidence, Outcome, Rule, Severity, Status } from './types.js';

/** Identity helper that type-checks a rule definition. */
export const defineRule = (rule: Rule): Rule => rule;

export const pass = (message: string, evidence: Evidence = {}): Outcome => ({ status: 'pass', message, evidence });
const skips = new Map<string, Outcome>();
/**
 * Without evidence, one frozen outcome per message: fifteen rules skip every Linux instance with
 * the same message, and the engine knows an outcome it has seen by identity (runRules).
 */
export const skip = (message: string, evidence?: Evidence): Outcome => {
  if (evidence) return { status: 'skip', message, evidence };
  let outcome = skips.get(message);
  if (!outcome) skips.set(message, (outcome = Object.freeze({ status: 'skip', message, evidence: Object.freeze({}) })));
  return outcome;
};
/** An outcome made of no fact, frozen so that every instance shares it (runRules knows it by identity). */
export const always = (outcome: Outcome): Outcome => {
  Object.freeze(outcome.evidence);
  return Object.freeze(outcome);
};
/** `fix`, when given, says how to make the fact knowable. */
export const unknown = (message: string, evidence: Evidence = {}, fix?: string): Outcome => ({
  status: 'unknown',
  message,
  evidence,
  ...(fix ? { fix } : {}),
});
/** `fix` is undefined only where nothing can be done (a Linux instance never gets VSS). */
export const fail = (message: string, evidence: Evidence, fix: string | undefined, consequence?: Consequence): Outcome => ({
  status: 'fail',
  message,
  evidence,
  ...(fix ? { fix } : {}),
  ...(consequence ? { consequence } : {}),
});
export const warn = (message: string, evidence: Evidence, fix: string): Outcome => ({ status: 'warn', message, evidence, fix });

/** What a rule of each severity can return unless it says otherwise; its test table shows each. */
const USUAL_OUTCOMES: Record<Severity, Status[]> = {
  error: ['pass', 'fail', 'unknown'],
  warning: ['pass', 'warn', 'unknown'],
  info: ['skip'],
};

export const outcomesOf = (rule: Rule): Status[] => rule.outcomes ?? USUAL_OUTCOMES[rule.severity];
