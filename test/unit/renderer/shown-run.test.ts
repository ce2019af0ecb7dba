import { describe, expect, it } from 'vitest';
import { pickShownRun } from '../../../src/renderer/src/app/shown-run';
import { ViewState } from '../../../src/renderer/src/app/view-state';

const runs = [
  { id: 3, invalidated: 'ranked with the negative label "Other"' },
  { id: 2, invalidated: null },
  { id: 1, invalidated: null },
];

describe('the run on show', () => {
  it('is the newest valid run when none was ever chosen, or the chosen one is gone', () => {
    expect(pickShownRun(undefined, runs)).toBe(2);
    expect(pickShownRun(9, runs)).toBe(2);
    expect(pickShownRun(undefined, [])).toBeNull();
    expect(pickShownRun(undefined, [runs[0]!])).toBeNull();
  });

  it('is the chosen one, invalidated or not, and none when "None" was chosen', () => {
    expect(pickShownRun(1, runs)).toBe(1);
    expect(pickShownRun(3, runs)).toBe(3);
    expect(pickShownRun(null, runs)).toBeNull();
  });

  it('keeps "never chosen" apart from "None" in the stored view', () => {
    expect(ViewState.parse({}).run).toBeUndefined();
    expect(ViewState.parse({ run: null }).run).toBeNull();
    expect(ViewState.parse(JSON.parse(JSON.stringify({ run: undefined }))).run).toBeUndefined();
  });
});
