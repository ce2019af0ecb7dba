/**
 * Chance-corrected agreement between annotators over nominal categories (here: keep,
 * eliminate, or the label an example was relabelled to).
 */
export interface KappaResult {
  /** Items counted. */
  items: number;
  /** Observed agreement (Cohen: share of items both rated alike; Fleiss: mean pairwise agreement per item). */
  observed: number | null;
  /** Agreement expected by chance from the raters' category shares. */
  expected: number | null;
  /**
   * (observed - expected) / (1 - expected); null when there is nothing to count or when chance
   * agreement is already 1 (every rating is the same one category): 0 / 0, undefined.
   */
  kappa: number | null;
}

const NONE: KappaResult = { items: 0, observed: null, expected: null, kappa: null };

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Cohen's kappa (Cohen 1960) for two raters who rated the same items, one pair of ratings per
 * item: p_o is the share of items rated alike, p_e = sum over categories k of
 * (share of items rater a put in k) x (share rater b put in k).
 */
export function cohenKappa(pairs: readonly (readonly [string, string])[]): KappaResult {
  const n = pairs.length;
  if (n === 0) return NONE;
  let agreed = 0;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  for (const [x, y] of pairs) {
    if (x === y) agreed++;
    tally(a, x);
    tally(b, y);
  }
  const observed = agreed / n;
  let expected = 0;
  for (const [category, count] of a) expected += (count / n) * ((b.get(category) ?? 0) / n);
  return { items: n, observed, expected, kappa: expected === 1 ? null : (observed - expected) / (1 - expected) };
}

/**
 * Fleiss' kappa (Fleiss 1971) for items each rated by two or more raters (not always the same
 * ones). Per item i with n_i ratings of which n_ij fall in category j:
 * P_i = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1)), the share of agreeing rater pairs; P = mean P_i;
 * p_j = (ratings in j) / (all ratings); P_e = sum_j p_j^2. With the same number of raters per
 * item this is exactly Fleiss' formula; items with fewer than two ratings carry no pair and are
 * left out.
 */
export function fleissKappa(items: readonly (readonly string[])[]): KappaResult {
  const usable = items.filter((ratings) => ratings.length >= 2);
  if (usable.length === 0) return NONE;
  const totals = new Map<string, number>();
  let ratingsCount = 0;
  let sumAgreement = 0;
  for (const ratings of usable) {
    const counts = new Map<string, number>();
    for (const rating of ratings) {
      tally(counts, rating);
      tally(totals, rating);
    }
    const m = ratings.length;
    let squares = 0;
    for (const count of counts.values()) squares += count * count;
    sumAgreement += (squares - m) / (m * (m - 1));
    ratingsCount += m;
  }
  const observed = sumAgreement / usable.length;
  let expected = 0;
  for (const count of totals.values()) expected += (count / ratingsCount) ** 2;
  return { items: usable.length, observed, expected, kappa: expected === 1 ? null : (observed - expected) / (1 - expected) };
}
