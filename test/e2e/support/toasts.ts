import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Clears the message stack before a screenshot. Information messages fade by themselves after a
 * few seconds, so one can leave between counting and clicking: a click that finds its message
 * gone is what was wanted, and the stack is checked empty at the end instead.
 */
export async function dismissToasts(p: Page): Promise<void> {
  const buttons = p.getByTestId('toasts').getByRole('button', { name: 'Dismiss' });
  for (let tries = 0; tries < 20 && (await buttons.count()) > 0; tries++) {
    await buttons
      .first()
      .click({ timeout: 2000 })
      .catch(() => undefined);
  }
  await expect.poll(() => buttons.count(), { timeout: 5000 }).toBe(0);
}
