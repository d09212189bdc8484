import type { Outcome } from '../../src/engine/types.js';
import type { InstanceFacts } from '../../src/facts/snapshot.js';

/** An input an outcome is made of: objects are told apart by identity, other values as a Map does (1 is not "1"). */
export type Input = object | string | number | boolean | null | undefined;

interface Node {
  values?: Map<Input, Node>;
  /** Weakly: a snapshot's objects are not kept alive by what was said of them. */
  objects?: WeakMap<object, Node>;
  outcome?: Outcome;
}

function step(at: Node, input: Input): Node {
  let next: Node | undefined;
  if (typeof input === 'object' && input !== null) {
    next = (at.objects ??= new WeakMap()).get(input);
    if (!next) at.objects.set(input, (next = {}));
  } else {
    next = (at.values ??= new Map()).get(input);
    if (!next) at.values.set(input, (next = {}));
  }
  return next;
}

const names = (outcome: Outcome, id: string): boolean =>
  outcome.message.includes(id) || (outcome.fix?.includes(id) ?? false) || Object.values(outcome.evidence).some((v) => typeof v === 'string' && v.includes(id));

/**
 * A rule's memory of what it said, per distinct inputs. Across a fleet thousands of instances give
 * a rule the same facts (the same role, package, agent version), and building the same message and
 * evidence for each is most of what a 100,000-instance scan allocates; returned again, the same
 * frozen outcome is known by identity to the engine (runRules), which then reuses its finding.
 *
 * `inputs` must hold every fact the outcome is made of besides the instance's region and account
 * (always part of the key) and its id: an outcome that names the instance is its own and is not
 * remembered, so commands like `--instance-ids i-...` stay right.
 */
export function remembering(): (instance: InstanceFacts, inputs: readonly Input[], judge: () => Outcome) => Outcome {
  const root: Node = {};
  return (instance, inputs, judge) => {
    let at = step(step(root, instance.region), instance.accountId);
    for (const input of inputs) at = step(at, input);
    if (at.outcome) return at.outcome;
    const outcome = judge();
    if (!names(outcome, instance.instanceId)) {
      Object.freeze(outcome.evidence);
      at.outcome = Object.freeze(outcome);
    }
    return outcome;
  };
}
