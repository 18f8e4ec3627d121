import { defineModule } from '../../platform/define-module.ts';
import { demoCommand } from './demo.command.ts';

/** `npm run demo`: the Garage De Vries world. */
export const demoModule = defineModule({ name: 'demo', commands: [demoCommand] });
