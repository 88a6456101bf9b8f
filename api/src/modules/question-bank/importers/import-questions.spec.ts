import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { importQuestions, renderImportFile } from './import-questions';

const fixture = (name: string) => readFileSync(path.resolve(__dirname, '../../../../test/fixtures/import', name), 'utf8');

describe('bank:import', () => {
  describe('Moodle XML', () => {
    const result = importQuestions('moodle-xml', fixture('psf-sample.moodle.xml'));

    it('converts single-answer multiple choice to plain text with the key and rationales', () => {
      expect(result.items).toHaveLength(2);
      const [drift] = result.items;
      expect(drift.title).toBe('Drift alert triage');
      expect(drift.stem).toBe(
        "A claims triage model's weekly approval rate rose from 61% to 74% with no change in claim mix. What should the on-call engineer check first?",
      );
      expect(drift.options.map((o) => o.key)).toEqual([true, false, false, false]);
      expect(drift.options[0].text).toBe('Whether the model version or its upstream provider changed that week');
      expect(drift.options[2].text).toBe("Whether the dashboard's colours are accessible");
      expect(drift.options[3].text).toBe('Whether to raise the alert threshold & silence it');
      expect(drift.options[0].rationale).toBe('A silent provider update is the most common cause of a step change.');
    });

    it('flags what an author must still fix (option count, missing rationales)', () => {
      const rollback = result.items[1];
      expect(rollback.todo).toContain('has 3 options; the bank needs exactly 4');
      expect(rollback.todo).toContain('write a rationale for every option');
    });

    it('skips what the bank cannot hold, saying why', () => {
      expect(result.skipped).toEqual([
        { title: 'Which logs to keep', reason: 'allows several answers (single=false); the bank needs one best answer' },
        { title: 'Human review always needed', reason: 'is a truefalse question; only multiple choice can be imported' },
      ]);
    });

    it('reports a file that is not Moodle XML', () => {
      expect(importQuestions('moodle-xml', '<html><body/></html>').skipped).toEqual([
        { title: '(file)', reason: 'no <quiz> element: not a Moodle XML export' },
      ]);
    });
  });

  describe('GIFT', () => {
    const result = importQuestions('gift', fixture('psf-sample.gift'));

    it('converts multiple choice with feedback, HTML and escapes', () => {
      expect(result.items.map((i) => i.title)).toEqual(['Schema validation', 'Escapes']);
      const [schema, escapes] = result.items;
      expect(schema.stem).toBe(
        'A loan assistant returns JSON that a downstream service parses. Some responses\nmiss the amount field. What should happen before the JSON is consumed?',
      );
      expect(schema.options).toHaveLength(4);
      expect(schema.options[0]).toEqual({
        text: 'Validate it against the declared schema and reject or repair failures',
        key: true,
        rationale: 'Structured output contracts are checked at the boundary.',
      });
      expect(escapes.stem).toBe('Which string is a valid template placeholder: {name} or name?');
      expect(escapes.options[0].text).toBe('{name}');
    });

    it('skips true/false, partial credit, short answer and essay questions, saying why', () => {
      expect(result.skipped).toEqual([
        { title: 'TF', reason: 'is a true/false question; only multiple choice can be imported' },
        { title: 'Weighted', reason: 'gives partial credit; the bank needs one best answer' },
        { title: 'Short answer', reason: 'is a short-answer question; only multiple choice can be imported' },
        { title: 'Essay', reason: 'is an essay question; only multiple choice can be imported' },
      ]);
    });
  });

  it('writes draft bank files an author can complete', () => {
    const result = importQuestions('gift', fixture('psf-sample.gift'));
    const file = parse(renderImportFile(result, 'psf-sample.gift'));
    expect(file.items[0]).toMatchObject({ id: 'IMPORT-001', status: 'draft', criterion: null, difficulty: null });
    expect(file.items[0].options.filter((o: { key?: boolean }) => o.key)).toHaveLength(1);
    expect(file.items[0].notes).toContain('assign domain and criterion');
  });
});
