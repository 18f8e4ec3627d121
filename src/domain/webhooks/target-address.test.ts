import { describe, expect, it } from 'vitest';
import { checkTargetUrl, classifyAddress, mayConnect } from './target-address.ts';

describe('webhook target addresses (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'reserved'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2a00:1450:400e:80c::200e', 'public'],
  ])('classifies %s as %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('says "not an address" for names and nonsense', () => {
    expect(classifyAddress('hooks.slack.com')).toBeNull();
    expect(classifyAddress('256.1.1.1')).toBeNull();
    expect(classifyAddress('1:2:3')).toBeNull();
    expect(classifyAddress('1::2::3')).toBeNull();
  });

  it('connects to private ranges only when allowed, and never to reserved ones', () => {
    expect(mayConnect('10.0.0.1', false)).toBe(false);
    expect(mayConnect('10.0.0.1', true)).toBe(true);
    expect(mayConnect('127.0.0.1', true)).toBe(true);
    expect(mayConnect('0.0.0.0', true)).toBe(false);
    expect(mayConnect('8.8.8.8', false)).toBe(true);
    expect(mayConnect('nonsense', true)).toBe(false);
  });

  it('checks a typed URL: scheme, credentials, localhost and IP literals', () => {
    expect(checkTargetUrl('https://hooks.slack.com/services/T/B/X', false)).toBeNull();
    expect(checkTargetUrl('ftp://example.nl/x', false)).toBe('scheme');
    expect(checkTargetUrl('https://user:pw@example.nl/', false)).toBe('credentials');
    expect(checkTargetUrl('http://localhost:3000/hook', false)).toBe('private_address');
    expect(checkTargetUrl('http://localhost:3000/hook', true)).toBeNull();
    expect(checkTargetUrl('http://169.254.169.254/latest/meta-data', false)).toBe(
      'private_address',
    );
    expect(checkTargetUrl('http://169.254.169.254/latest/meta-data', true)).toBeNull();
    expect(checkTargetUrl('http://[::ffff:127.0.0.1]/', false)).toBe('private_address');
    expect(checkTargetUrl('http://0.0.0.0/', true)).toBe('private_address');
    expect(checkTargetUrl('not a url', false)).toBe('invalid_url');
  });
});
