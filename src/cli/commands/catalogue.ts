import type { Argv } from 'yargs';
import { RULES } from '../../../rules/index.js';
import { UserError } from '../../errors.js';
import { closest, renderRuleDoc, renderRuleList } from '../../report/catalogue.js';
import type { Context } from '../context.js';

/** `rules` and `explain <rule>`: the rule catalogue, which reads nothing but the rules. */
export const catalogueCommands = <T>(cli: Argv<T>, ctx: Context) =>
  cli
    .command(
      'rules',
      'List every rule with its severity and source',
      (y) => y,
      () => {
        ctx.io.stdout(renderRuleList(RULES));
      },
    )
    .command(
      'explain <rule>',
      'Print a rule\'s full documentation',
      (y) => y.positional('rule', { type: 'string', demandOption: true, describe: 'A rule id, as `vss-preflight rules` lists them' }),
      (argv) => {
        const rule = RULES.find((r) => r.id === argv.rule);
        if (!rule) {
          const near = closest(RULES.map((r) => r.id), argv.rule);
          throw new UserError(`no rule "${argv.rule}"${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (list them with \`vss-preflight rules\`)`);
        }
        ctx.io.stdout(renderRuleDoc(rule));
      },
    );
