import { describe, expect, it } from 'vitest';
import { WholeJobEta } from '../../../src/main/core/jobs/job-eta';
import { phasePlan } from '../../../src/main/core/jobs/job-phases';

/** A fake clock the estimator reads; the test moves it. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

interface Step {
  phase: string;
  /** Real duration of the phase in the simulation, ms. */
  ms: number;
}

/** Reports every `tick` ms through each phase, as a job would; returns every estimate with its true time left. */
function simulate(eta: WholeJobEta, clock: ReturnType<typeof fakeClock>, steps: Step[], tick = 200) {
  const total = steps.reduce((s, p) => s + p.ms, 0);
  let elapsed = 0;
  const seen: { at: number; etaMs: number | null; fraction: number; trueLeft: number }[] = [];
  for (const step of steps) {
    for (let t = 0; t < step.ms; t += tick) {
      const dt = Math.min(tick, step.ms - t);
      clock.advance(dt);
      elapsed += dt;
      const estimate = eta.update(step.phase, t + dt, step.ms);
      seen.push({ at: elapsed, ...estimate, trueLeft: total - elapsed });
    }
  }
  return { seen, total };
}

describe('whole-job time left', () => {
  // A 30 s ranking whose phases do not take the time their weights say: training twice as
  // long, the strategies much shorter (the case that showed "12m 5s left" per phase).
  const steps: Step[] = [
    { phase: 'training: features', ms: 400 },
    { phase: 'training: vocabulary', ms: 200 },
    ...[1, 2, 3, 4, 5].map((i) => ({ phase: `training: fold ${i} of 5`, ms: 3600 })),
    { phase: 'training: full model', ms: 4000 },
    { phase: 'inference', ms: 3000 },
    { phase: 'strategy IS', ms: 800 },
    { phase: 'strategy CL', ms: 200 },
    { phase: 'strategy KNN', ms: 1200 },
    { phase: 'saving', ms: 1000 },
  ];
  // One cross-fit, as the steps above (the default fits a second, cleaned one: see below).
  const plan = phasePlan({ kind: 'rank', params: { strategies: ['is', 'cl', 'knn'], probabilityFit: 'all' } });

  it('plans the second, cleaned cross-fit only when the ranking fits one', () => {
    const phases = (params: Parameters<typeof phasePlan>[0] & { kind: 'rank' }) => phasePlan(params).map((p) => p.phase);
    expect(phases({ kind: 'rank', params: {} })).toContain('training: cleaned fold *');
    expect(phases({ kind: 'rank', params: { probabilityFit: 'cleaned' } })).toContain('training: cleaned fold *');
    expect(phases({ kind: 'rank', params: { probabilityFit: 'auto' } })).toContain('training: cleaned fold *');
    expect(phases({ kind: 'rank', params: { probabilityFit: 'all' } })).not.toContain('training: cleaned fold *');
    expect(phases({ kind: 'rank', params: { model: { kind: 'package', dir: 'm' } } })).not.toContain('training: cleaned fold *');
  });

  it('counts the whole job, never moves backwards, and ends at zero', () => {
    const clock = fakeClock();
    const { seen } = simulate(new WholeJobEta(plan, clock.now), clock, steps);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    // The folds advance the bar fold by fold, not five times over the same stretch.
    const midFold3 = seen.find((s) => s.at === 400 + 200 + 2 * 3600 + 1800)!;
    expect(midFold3.fraction).toBeGreaterThan(0.2);
    expect(midFold3.fraction).toBeLessThan(0.5);
    expect(seen.at(-1)).toMatchObject({ fraction: 1, etaMs: 0 });
    const clockEnd = fakeClock();
    const eta = new WholeJobEta(plan, clockEnd.now);
    clockEnd.advance(5000);
    expect(eta.update('done', 1, 1)).toEqual({ fraction: 1, etaMs: 0 });
  });

  it('says nothing during the first second, then gives one estimate that does not jump', () => {
    const clock = fakeClock();
    const { seen, total } = simulate(new WholeJobEta(plan, clock.now), clock, steps);
    expect(seen.filter((s) => s.at < 1000).every((s) => s.etaMs === null)).toBe(true);
    // (The last report finishes the job: its zero is no jump.)
    const shown = seen.filter((s) => s.etaMs !== null && s.fraction < 1);
    expect(shown.length).toBeGreaterThan(seen.length * 0.8);
    for (let i = 1; i < shown.length; i++) {
      const before = shown[i - 1]!;
      const after = shown[i]!;
      // What the clock alone would show after this tick, and how far the new figure departs from it.
      const counted = Math.max(0, before.etaMs! - (after.at - before.at));
      expect(Math.abs(after.etaMs! - counted)).toBeLessThanOrEqual(0.1 * counted + 500);
    }
    // Never absurd: no figure above twice the job's real length.
    expect(Math.max(...shown.map((s) => s.etaMs!))).toBeLessThan(2 * total);
    // Close to the truth in the second half of the job.
    for (const s of shown.filter((x) => x.at > total / 2)) expect(Math.abs(s.etaMs! - s.trueLeft)).toBeLessThan(0.5 * total);
  });

  it('converges on the true time left when the work runs at a steady rate', () => {
    const clock = fakeClock();
    const eta = new WholeJobEta([{ phase: 'reading records', weight: 1 }], clock.now);
    const { seen } = simulate(eta, clock, [{ phase: 'reading records', ms: 60_000 }], 500);
    const late = seen.filter((s) => s.at > 20_000 && s.etaMs !== null);
    for (const s of late) expect(Math.abs(s.etaMs! - s.trueLeft)).toBeLessThan(0.05 * 60_000);
  });

  it('keeps its estimate through a phase it was not told about', () => {
    const clock = fakeClock();
    const eta = new WholeJobEta(phasePlan({ kind: 'import', params: { filePath: 'x', split: 's', format: 'auto', skipInvalid: false } }), clock.now);
    clock.advance(2000);
    const first = eta.update('reading records', 50, 100);
    clock.advance(200);
    const odd = eta.update('some new phase', 1, 2);
    expect(odd.fraction).toBe(first.fraction);
    expect(odd.etaMs).not.toBeNull();
  });

  it('has a weight for every phase the jobs report', () => {
    const names = (job: Parameters<typeof phasePlan>[0]) => phasePlan(job).map((w) => w.phase);
    const builtin = names({ kind: 'rank', params: { strategies: ['is', 'es', 'esp', 'cl', 'knn'] } });
    const matches = (list: string[], phase: string) => list.some((p) => (p.endsWith('*') ? phase.startsWith(p.slice(0, -1)) : p === phase));
    for (const phase of ['training: features', 'training: vocabulary', 'training: fold 3 of 5', 'training: full model', 'inference', 'strategy ESP', 'strategy KNN', 'saving', 'done']) {
      expect(matches(builtin, phase), phase).toBe(true);
    }
    expect(names({ kind: 'rank', params: { model: { kind: 'predictions', file: 'p' }, strategies: ['cl'] } })).toContain('reading predictions');
  });
});
