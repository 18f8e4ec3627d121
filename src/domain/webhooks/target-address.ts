/**
 * Server-side request forgery protection for webhook targets: an organisation's administrator
 * types a URL and Loyaal's server calls it, so without a check anyone with that role could make
 * the server reach the cloud metadata service (169.254.169.254), the database on localhost or the
 * office network. Addresses are checked after DNS resolution, on the address actually connected to.
 * `WEBHOOK_ALLOW_PRIVATE` opens loopback, private and IPv6 link-local addresses (tests, a receiver
 * on the LAN); a cloud platform's metadata service (`metadata`) hands out the server's own
 * credentials and stays refused whatever the setting.
 */

export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'reserved';

function ipv4Parts(ip: string): number[] | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const n = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return n.every((x) => x <= 255) ? n : null; // NaN, a part that is not 1–3 digits, fails too
}

/**
 * IPv4 addresses of cloud metadata and instance services outside 169.254.0.0/16 (which is
 * metadata as a whole: AWS, GCP, Azure, Oracle, DigitalOcean, Hetzner, OpenStack serve it at
 * 169.254.169.254, AWS ECS task metadata at 169.254.170.2): Alibaba Cloud's metadata service and
 * Azure's WireServer.
 */
const METADATA_IPV4 = new Set(['100.100.100.200', '168.63.129.16']);

function classifyIpv4(p: number[]): AddressClass {
  const [a = 0, b = 0] = p;
  if (a === 169 && b === 254) return 'metadata';
  if (METADATA_IPV4.has(p.join('.'))) return 'metadata';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
  if (
    a === 0 ||
    a >= 224 ||
    (a === 192 && b === 0 && p[2] === 0) ||
    (a === 198 && (b === 18 || b === 19))
  ) {
    return 'reserved';
  }
  return 'public';
}

/** Expands an IPv6 address to eight 16-bit groups; null when it is not one. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = ipv4Parts(last);
    if (!v4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) =>
    s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 && missing !== 0) return null;
  if (missing < 0 || (halves.length === 2 && missing < 1)) return null;
  const groups = [
    ...head,
    ...new Array<number>(halves.length === 2 ? missing : 0).fill(0),
    ...rest,
  ];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return null;
  return groups;
}

/** The class of an IP address (v4 or v6), or null when the text is not an IP address. */
export function classifyAddress(ip: string): AddressClass | null {
  const v4 = ipv4Parts(ip);
  if (v4) return classifyIpv4(v4);
  const g = ipv6Groups(ip);
  if (!g) return null;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, , , g6 = 0, g7 = 0] = g;
  const hex = g.map((x) => x.toString(16)).join(':');
  if (hex === '0:0:0:0:0:0:0:0') return 'reserved'; // ::
  if (hex === '0:0:0:0:0:0:0:1') return 'loopback'; // ::1
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that.
  if (hex.startsWith('0:0:0:0:0:ffff:') || hex.startsWith('64:ff9b:')) {
    return classifyIpv4([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]);
  }
  // AWS's instance services over IPv6 (metadata fd00:ec2::254, DNS ::253, time ::123).
  if (g0 === 0xfd00 && g1 === 0x0ec2 && g2 === 0 && g3 === 0) return 'metadata';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g0 & 0xff00) === 0xff00) return 'reserved'; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved'; // documentation
  return 'public';
}

/**
 * Whether Loyaal may connect to this address: public ones always; loopback, private and link-local
 * ones only when allowed; metadata services and reserved ranges never.
 */
export function mayConnect(ip: string, allowPrivate: boolean): boolean {
  const c = classifyAddress(ip);
  if (c === null) return false;
  if (c === 'public') return true;
  return allowPrivate && c !== 'reserved' && c !== 'metadata';
}

export type TargetProblem =
  'invalid_url' | 'scheme' | 'credentials' | 'private_address' | 'metadata_address';

/**
 * Checks a webhook URL as typed: http(s) only, no user:password part, and a host that is not an
 * IP literal in a forbidden range or `localhost`. Names are checked again after DNS resolution.
 */
export function checkTargetUrl(text: string, allowPrivate: boolean): TargetProblem | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid_url';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'scheme';
  if (url.username !== '' || url.password !== '') return 'credentials';
  const host = url.hostname.toLowerCase();
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
    return 'private_address';
  // An IPv6 literal keeps its brackets in `hostname`; classifyAddress reads it so.
  const literal = classifyAddress(host);
  if (literal === 'metadata') return 'metadata_address';
  if (literal !== null && !mayConnect(host, allowPrivate)) return 'private_address';
  return null;
}
