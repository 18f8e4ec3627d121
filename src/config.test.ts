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
