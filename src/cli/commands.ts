import type { Config } from '../config.ts';
import { demoCommand } from '../modules/demo/demo.command.ts';
import { importCommand } from '../modules/imports/imports.command.ts';

/** Further CLI commands contributed by feature modules (import, demo, …). */
export interface CliCommand {
  name: string;
  help: string;
  run(args: string[], config: Config): Promise<number>;
}

export const cliCommands: CliCommand[] = [demoCommand, importCommand];
