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
    ['169.254.169.254', 'metadata'],
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
    ['::ffff:169.254.169.254', 'metadata'],
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
      'metadata_address',
    );
    expect(checkTargetUrl('http://[::ffff:127.0.0.1]/', false)).toBe('private_address');
    expect(checkTargetUrl('http://0.0.0.0/', true)).toBe('private_address');
    expect(checkTargetUrl('not a url', false)).toBe('invalid_url');
  });

  // The edges of every range, each next to an address just outside it.
  it.each([
    ['10.0.0.0', 'private'],
    ['11.0.0.1', 'public'],
    ['172.15.255.255', 'public'],
    ['172.16.0.0', 'private'],
    ['173.16.0.1', 'public'],
    ['192.168.0.1', 'private'],
    ['192.169.0.1', 'public'],
    ['191.168.0.1', 'public'],
    ['100.63.255.255', 'public'],
    ['100.64.0.0', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.0', 'public'],
    ['101.64.0.1', 'public'],
    ['169.254.0.1', 'metadata'],
    ['169.254.255.255', 'metadata'],
    ['169.255.0.1', 'public'],
    ['169.253.0.1', 'public'],
    ['168.254.0.1', 'public'],
    ['192.0.0.8', 'reserved'],
    ['192.0.1.1', 'public'],
    ['192.1.0.1', 'public'],
    ['193.0.0.1', 'public'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.17.0.1', 'public'],
    ['198.20.0.1', 'public'],
    ['199.18.0.1', 'public'],
    ['223.255.255.255', 'public'],
    ['255.255.255.255', 'reserved'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'public'],
    ['fc00::1', 'private'],
    ['fdff::1', 'private'],
    ['fe00::1', 'public'],
    ['ff02::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:db9::1', 'public'],
    ['2002:db8::1', 'public'],
    ['2a00:1450:0:0:0:0:0:1', 'public'],
    ['0:1::1', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:10.0.0.1', 'private'],
    ['1::ffff:7f00:1', 'public'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9a::7f00:1', 'public'],
    ['65:ff9b::7f00:1', 'public'],
    ['2a00:1450:400e:80c:0:0:0:200e', 'public'],
    ['2a00:1450:400e:80c:0:0::200e', 'public'], // "::" for a single zero group
  ])('at the edges: %s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it.each([
    '1.2.3',
    '1.2.3.4.5',
    '1e2.0.0.1',
    '8.8.8. 8',
    '8.8.8.8 ',
    '1.2.3.256',
    '[::1',
    '::1]',
    '::ffff:1.2.3',
    '::ffff:1.2.3.999',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    '1:2:3:4:5::6:7:8:9',
    '1::g',
    '1x::1',
    '12345::1',
    'x1::1',
    '',
  ])('%j is not an address', (text) => {
    expect(classifyAddress(text)).toBeNull();
  });

  it('refuses a user name or a password alone, and any *.localhost', () => {
    expect(checkTargetUrl('https://user@example.nl/', false)).toBe('credentials');
    expect(checkTargetUrl('https://:pw@example.nl/', false)).toBe('credentials');
    expect(checkTargetUrl('http://api.localhost/hook', false)).toBe('private_address');
    expect(checkTargetUrl('http://localhost.example.nl/hook', false)).toBeNull();
    expect(checkTargetUrl('http://[::1]:8080/hook', false)).toBe('private_address');
    expect(checkTargetUrl('http://[::1]:8080/hook', true)).toBeNull();
    expect(checkTargetUrl('http://[2001:db8::1]/', true)).toBe('private_address');
    expect(checkTargetUrl('https://[2a00:1450::1]/hook', false)).toBeNull();
  });

  // A cloud's metadata service hands out the server's own credentials: WEBHOOK_ALLOW_PRIVATE,
  // which opens the LAN, never opens it.
  it.each([
    ['169.254.169.254', 'AWS, GCP, Azure, Oracle, DigitalOcean, Hetzner, OpenStack'],
    ['169.254.170.2', 'AWS ECS task metadata'],
    ['169.254.169.123', 'AWS time service'],
    ['169.254.0.0', 'the start of 169.254.0.0/16'],
    ['169.254.255.255', 'the end of 169.254.0.0/16'],
    ['100.100.100.200', 'Alibaba Cloud'],
    ['168.63.129.16', 'Azure WireServer'],
    ['fd00:ec2::254', 'AWS over IPv6'],
    ['[fd00:ec2::254]', 'AWS over IPv6, as a URL writes it'],
    ['fd00:ec2:0:0:0:0:0:254', 'AWS over IPv6, written out'],
    ['FD00:EC2::254', 'AWS over IPv6, in capitals'],
    ['fd00:ec2::253', 'AWS DNS over IPv6'],
    ['fd00:ec2::123', 'AWS time over IPv6'],
    ['::ffff:169.254.169.254', 'IPv4-mapped'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped, in hexadecimal'],
    ['64:ff9b::169.254.169.254', 'NAT64'],
    ['64:ff9b::6464:64c8', 'NAT64 of Alibaba Cloud'],
  ])(
    'never connects to the metadata address %s (%s), even with private addresses allowed',
    (ip) => {
      expect(classifyAddress(ip)).toBe('metadata');
      expect(mayConnect(ip, true)).toBe(false);
      expect(mayConnect(ip, false)).toBe(false);
    },
  );

  it.each([
    ['100.100.100.199', 'private'],
    ['100.100.100.201', 'private'],
    ['168.63.129.15', 'public'],
    ['168.63.129.17', 'public'],
    ['fd00:ec2:0:1::254', 'private'],
    ['fd00:ec3::254', 'private'],
    ['fd01:ec2::254', 'private'],
    ['fe80::a9fe:a9fe', 'link-local'],
  ])('keeps the neighbours of metadata addresses in their own class: %s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('refuses a typed metadata address as such, whatever WEBHOOK_ALLOW_PRIVATE says', () => {
    for (const allowPrivate of [false, true]) {
      for (const url of [
        'http://169.254.169.254/latest/meta-data/',
        'http://169.254.170.2/v2/credentials',
        'http://100.100.100.200/latest/meta-data',
        'http://168.63.129.16/machine?comp=goalstate',
        'http://[fd00:ec2::254]/latest/meta-data/',
        'http://[::ffff:169.254.169.254]/',
        // The URL parser reads integer, hexadecimal and octal IPv4 hosts as dotted quads.
        'http://2852039166/latest/meta-data/',
        'http://0xa9fea9fe/',
        'http://0251.0376.0251.0376/',
      ]) {
        expect(checkTargetUrl(url, allowPrivate), `${url} (allowPrivate ${allowPrivate})`).toBe(
          'metadata_address',
        );
      }
    }
    // Private and link-local addresses of the LAN stay open when allowed.
    expect(checkTargetUrl('http://10.0.0.5/hook', true)).toBeNull();
    expect(checkTargetUrl('http://[fe80::1]/hook', true)).toBeNull();
    expect(checkTargetUrl('http://[fd12:3456::1]/hook', true)).toBeNull();
  });
});
