/** Numbers as people read them: with thousands separators ("8,000"), in the app's language (English). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 example", "8,000 examples". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Time left as a person says it: "45 s left", "3 min 10 s left", "1 h 5 min left". */
export function formatTimeLeft(ms: number | null): string {
  if (ms === null) return '';
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}
