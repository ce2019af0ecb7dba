import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/main/core/server/content-security-policy';

describe('content security policy (Electron window and browser mode)', () => {
  it('is strict: scripts only from the app, no plugins, no framing', () => {
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/);
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
  });
});
