/**
 * One policy for the Electron window and the browser-mode server. AG Grid sets inline style
 * attributes for row positioning, hence 'unsafe-inline' for styles only; scripts are only
 * ever loaded from the app itself.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
