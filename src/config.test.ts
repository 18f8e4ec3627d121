import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('treats an empty variable as not set, as env files and compose.yaml write it', () => {
    const config = loadConfig({ SMTP_URL: '', PORT: '', PUBLIC_URL: '' });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('still refuses a value that is set but wrong, naming the variable', () => {
    expect(() => loadConfig({ SMTP_URL: 'mail.example.nl' })).toThrow(/SMTP_URL: must look like/);
    expect(() => loadConfig({ PORT: 'tachtig' })).toThrow(/PORT/);
  });
});

describe('TRUST_PROXY', () => {
  it('takes a number of proxies or their addresses and ranges', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toEqual(['loopback']);
  });

  it('refuses `true`, which let any client choose its own address, and says what to use', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY: `true` is no longer accepted.*TRUST_PROXY=1/s,
    );
  });

  it('refuses what is neither a count nor addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/10\.0\.0\.0\/33/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example.nl' })).toThrow(/proxy\.example\.nl/);
    expect(() => loadConfig({ TRUST_PROXY: '50' })).toThrow(/at most 10/);
  });
});
