import { describe, expect, it } from 'vitest';
import { ENDPOINT_DISABLED_REASONS, endpointDisabledCode } from './endpoint-disabled-reason.ts';

describe('why an endpoint was turned off', () => {
  it('reads every reason Loyaal writes as its own code', () => {
    for (const reason of ENDPOINT_DISABLED_REASONS) {
      expect(endpointDisabledCode(reason)).toBe(reason);
    }
  });

  it('reads nothing stored as no reason, and an unknown one as other', () => {
    expect(endpointDisabledCode(null)).toBeNull();
    expect(endpointDisabledCode('too_many_failures')).toBe('other');
    expect(endpointDisabledCode('Gone')).toBe('other');
  });
});
