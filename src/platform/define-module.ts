import type { LoyaalModule } from './contract.ts';

/** Declares a feature module; a typed identity, so a module reads as one object literal. */
export function defineModule(module: LoyaalModule): LoyaalModule {
  return module;
}

export type { CliCommand, LoyaalModule, RouteRegistrar, Schedule } from './contract.ts';
