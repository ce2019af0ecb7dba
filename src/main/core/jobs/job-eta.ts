/**
 * One estimate of the time left for a whole job, from progress reports that come per phase.
 *
 * Each phase has a weight (its expected share of the job's time); the job's fraction done is
 * the weight of the phases behind it plus the current phase's share of its own. The rate
 * (fraction per millisecond) is an exponential moving average over time, and the estimate
 * shown counts down with the clock and moves only part of the way towards each new raw
 * estimate, so that a phase that turns out faster or slower than its weight bends the figure
 * instead of making it jump. (A per-phase estimate divided the whole job's elapsed time by the
 * current phase's progress: "12m left" on a job of 30 s.)
 */

export interface PhaseWeight {
  /** A phase name as reported, or a prefix of it ending in `*` ("fold *" matches "fold 2 of 5"). */
  phase: string;
  weight: number;
  /**
   * The phase comes once per occurrence ("fold 2 of 5"), each with its own done/total: the
   * weight is shared out by the report's "i of n". Without it, done/total spans them all.
   */
  repeats?: boolean;
}

/** Which weight of the plan a reported phase falls under, -1 when none. */
export function planIndex(plan: readonly PhaseWeight[], phase: string): number {
  return plan.findIndex((w) => (w.phase.endsWith('*') ? phase.startsWith(w.phase.slice(0, -1)) : w.phase === phase));
}

export interface EtaEstimate {
  fraction: number;
  etaMs: number | null;
}

/** Time constant of the rate average and of the estimate's smoothing. */
const RATE_TAU_MS = 4000;
const SHOWN_TAU_MS = 3000;
/** No guess before this much time and work: the first moments of a job say little. */
const WARMUP_MS = 1000;
const WARMUP_FRACTION = 0.02;

export class WholeJobEta {
  private readonly weights: readonly PhaseWeight[];
  private readonly totalWeight: number;
  private readonly startedAt: number;
  private fraction = 0;
  private lastAt: number;
  private lastFraction = 0;
  private rate: number | null = null;
  private shown: number | null = null;
  private shownAt = 0;

  constructor(
    plan: readonly PhaseWeight[],
    private readonly now: () => number = Date.now,
  ) {
    // An unknown phase (not in the plan) still moves the bar a little, never backwards.
    this.weights = plan.length ? plan : [{ phase: '*', weight: 1 }];
    this.totalWeight = this.weights.reduce((sum, w) => sum + w.weight, 0);
    this.startedAt = now();
    this.lastAt = this.startedAt;
  }

  private indexOf(phase: string): number {
    return planIndex(this.weights, phase);
  }

  /** The whole job's fraction done after this report, never less than before. */
  private fractionAt(phase: string, done: number, total: number): number {
    const index = this.indexOf(phase);
    if (index < 0) return this.fraction;
    let within = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    // A phase that repeats under one weight ("fold *") says which occurrence it is: "fold 2 of 5".
    const occurrence = this.weights[index]!.repeats ? /(\d+) of (\d+)/.exec(phase) : null;
    if (occurrence) {
      const [i, n] = [Number(occurrence[1]), Number(occurrence[2])];
      if (n > 0 && i >= 1 && i <= n) within = (i - 1 + within) / n;
    }
    let before = 0;
    for (let i = 0; i < index; i++) before += this.weights[i]!.weight;
    return Math.min(1, (before + this.weights[index]!.weight * within) / this.totalWeight);
  }

  update(phase: string, done: number, total: number): EtaEstimate {
    const at = this.now();
    this.fraction = Math.max(this.fraction, this.fractionAt(phase, done, total));
    const elapsed = at - this.startedAt;
    const dt = at - this.lastAt;
    if (dt > 0) {
      const sample = (this.fraction - this.lastFraction) / dt;
      if (this.rate === null) this.rate = this.fraction / Math.max(1, elapsed);
      else {
        const alpha = 1 - Math.exp(-dt / RATE_TAU_MS);
        this.rate += alpha * (sample - this.rate);
      }
      // Never slower than the average since the start would say, halved: a stalled phase
      // (one long step with no reports) must not send the estimate to infinity.
      this.rate = Math.max(this.rate, (0.5 * this.fraction) / Math.max(1, elapsed));
      this.lastAt = at;
      this.lastFraction = this.fraction;
    }
    if (this.fraction >= 1) return { fraction: 1, etaMs: 0 };
    if (elapsed < WARMUP_MS || this.fraction < WARMUP_FRACTION || !this.rate || this.rate <= 0) return { fraction: this.fraction, etaMs: null };
    const raw = (1 - this.fraction) / this.rate;
    if (this.shown === null) this.shown = raw;
    else {
      const counted = Math.max(0, this.shown - (at - this.shownAt));
      const beta = 1 - Math.exp(-(at - this.shownAt) / SHOWN_TAU_MS);
      this.shown = counted + beta * (raw - counted);
    }
    this.shownAt = at;
    return { fraction: this.fraction, etaMs: Math.round(this.shown) };
  }
}
