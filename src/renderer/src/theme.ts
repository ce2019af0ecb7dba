import { useEffect, useState } from 'react';

const query = '(prefers-color-scheme: dark)';

/** Follows the OS theme until the user picks one; the choice is remembered. */
export function useTheme() {
  const [override, setOverride] = useState<'light' | 'dark' | null>(() => (localStorage.getItem('winnow-theme') as 'light' | 'dark' | null) ?? null);
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const listener = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    media.addEventListener('change', listener);
    return () => media.removeEventListener('change', listener);
  }, []);
  const dark = override ? override === 'dark' : systemDark;
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [dark]);
  return {
    dark,
    toggle: () => {
      const next = dark ? 'light' : 'dark';
      localStorage.setItem('winnow-theme', next);
      setOverride(next);
    },
  };
}
