import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainerCommand, readTrainerPredictions, trainerArgv } from '../../../src/main/core/compare/trainer-command';
import { tempDir } from '../../helpers/temp-dir';

const values = { train: '/data/my runs/train E.json', eval: "/tmp/it's/eval.json", out: '/tmp/o u t.txt', seed: '2' };

describe('the trainer command', () => {
  it('splits with shell quoting and fills placeholders inside words, each path one argument', () => {
    const command = parseTrainerCommand(`python "my trainer.py" --train {train} --eval={eval} --out '{out}' --seed {seed} --lr 2e-5`);
    expect(trainerArgv(command, values)).toEqual(['python', 'my trainer.py', '--train', values.train, `--eval=${values.eval}`, '--out', values.out, '--seed', '2', '--lr', '2e-5']);
  });

  it('never interprets what it substitutes', () => {
    const command = parseTrainerCommand('node t.mjs {train} {eval} {out}');
    const hostile = { train: '$(rm -rf ~); `id` | cat > x', eval: '"; echo pwned', out: '*', seed: '1' };
    expect(trainerArgv(command, hostile)).toEqual(['node', 't.mjs', hostile.train, hostile.eval, '*']);
  });

  it('expands $NAME from the environment, as the shell the user would have typed it in', () => {
    expect(parseTrainerCommand('$PY train.py {train} {eval} {out}', { PY: '/opt/py/bin/python' }).words[0]).toBe('/opt/py/bin/python');
  });

  it('refuses shell operators, patterns, unknown and missing placeholders, naming the option', () => {
    expect(() => parseTrainerCommand('python t.py {train} {eval} {out} | tee log')).toThrow('compare option "trainer": "|" is a shell operator');
    expect(() => parseTrainerCommand('python t.py {train} {eval} {out} > log')).toThrow('">" is a shell operator');
    expect(() => parseTrainerCommand('cd x && python t.py {train} {eval} {out}')).toThrow('"&&" is a shell operator');
    expect(() => parseTrainerCommand('python *.py {train} {eval} {out}')).toThrow('"*.py" is a file pattern');
    expect(() => parseTrainerCommand('python t.py {train} {eval} {out} {dev}')).toThrow('unknown placeholder {dev}');
    expect(() => parseTrainerCommand('python t.py {eval} {out}')).toThrow('must use {train}');
    expect(() => parseTrainerCommand('python t.py {train} {eval}')).toThrow('must use {out}');
    expect(() => parseTrainerCommand('   ')).toThrow('the command is empty');
  });
});

describe("reading the trainer's predictions", () => {
  const ids = ['a', 'b', 'c'];
  const file = (text: string) => {
    const f = path.join(tempDir(), 'out.txt');
    fs.writeFileSync(f, text);
    return f;
  };

  it('takes one label per line in eval order, or JSON Lines in any order', () => {
    expect(readTrainerPredictions(file('x\nno_relation\ny\n'), ids)).toEqual(['x', 'no_relation', 'y']);
    expect(readTrainerPredictions(file('{"id":"c","relation":"y"}\n{"id":"a","relation":"x"}\n{"id":"b","relation":"z"}\n'), ids)).toEqual(['x', 'z', 'y']);
  });

  it('names the file, line and id of what is wrong', () => {
    const f = file('x\ny\n');
    expect(() => readTrainerPredictions(f, ids)).toThrow(`${f}: 2 lines but the eval file has 3 examples`);
    expect(() => readTrainerPredictions(file('x\n\ny\n'), ids)).toThrow(/line 2 is empty \(example "b"\)/);
    expect(() => readTrainerPredictions(file('{"id":"a","relation":"x"}\n{"id":"a","relation":"x"}\n'), ids)).toThrow(/line 2: id "a" appears twice/);
    expect(() => readTrainerPredictions(file('{"id":"a","relation":"x"}\n{"id":"q","relation":"x"}\n'), ids)).toThrow(/line 2: id "q" is not in the eval file/);
    expect(() => readTrainerPredictions(file('{"id":"a","relation":"x"}\n'), ids)).toThrow(/no prediction for id "b" \(2 of 3 missing\)/);
    expect(() => readTrainerPredictions(file('{"id":"a"}\n'), ids)).toThrow(/line 1 \(id "a"\): field "relation"/);
    expect(() => readTrainerPredictions(file('{"id":"a",\n'), ids)).toThrow(/line 1: not valid JSON/);
    expect(() => readTrainerPredictions(path.join(tempDir(), 'none.txt'), ids)).toThrow(/wrote no predictions file/);
  });
});
