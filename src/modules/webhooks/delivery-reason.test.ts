import { describe, expect, it } from 'vitest';
import { deliveryReason } from './delivery-reason.ts';

describe('webhook delivery reasons', () => {
  it('reads every text the sender and the job store as a stable code', () => {
    const cases: [string | null, number | null, string | null][] = [
      [null, 200, null],
      [null, 204, null],
      [null, 503, 'http_status'],
      ['HTTP 500', 500, 'http_status'],
      ['no answer within 10 s', null, 'timeout'],
      ['connect ECONNREFUSED 127.0.0.1:9', null, 'connection_refused'],
      ['socket hang up', null, 'connection_reset'],
      ['read ECONNRESET', null, 'connection_reset'],
      ['DNS: getaddrinfo ENOTFOUND hooks.example', null, 'dns_failed'],
      ['certificate has expired', null, 'tls_failed'],
      ['self-signed certificate', null, 'tls_failed'],
      ['refused address 10.0.0.1', null, 'refused_address'],
      ['invalid URL', null, 'invalid_url'],
      ['endpoint disabled', null, 'endpoint_disabled'],
      ['not tried: no answer since 2026-01-01T00:00:00.000Z', null, 'not_tried_unreachable'],
      ['something new', null, 'other'],
    ];
    for (const [error, status, code] of cases) {
      expect(deliveryReason(error, status)?.code ?? null, String(error ?? status)).toBe(code);
    }
    expect(deliveryReason('invalid URL', null)?.text).toBe('invalid URL');
    expect(deliveryReason(null, 503)?.text).toBe('HTTP 503');
  });
});
