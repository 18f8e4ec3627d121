/** `Deps`: what every route and job gets (defined with the module contract in contract.ts). */
export type { Deps } from './contract.ts';
