import type { Rule } from '../src/engine/types.js';
import instanceRoleGrantsVss from './instance-role-grants-vss.js';
import ssmManaged from './ssm-managed.js';
import vssComponentsInstalled from './vss-components-installed.js';
import windowsPlatform from './windows-platform.js';

/** Every rule, in the order a report lists them: the gates that decide whether VSS is attempted first. */
export const RULES: readonly Rule[] = [windowsPlatform, ssmManaged, instanceRoleGrantsVss, vssComponentsInstalled];
