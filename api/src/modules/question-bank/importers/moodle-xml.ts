import { XMLParser } from 'fast-xml-parser';
import { htmlToText, type ParsedQuestion, type ParseResult } from './parsed-question';

type Node = Record<string, unknown>;

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  const text = (node as Node).text;
  if (text === undefined) return '';
  return typeof text === 'object' ? textOf(text) : String(text);
}

/** Moodle XML (docs.moodle.org "Moodle XML format"): <quiz> of <question type="…">. */
export function parseMoodleXml(xml: string): ParseResult {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: true });
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (error) {
    return { questions: [], skipped: [{ order: 0, title: '(file)', reason: `not well-formed XML: ${(error as Error).message}` }] };
  }
  const quiz = doc.quiz as Node | undefined;
  if (!quiz) return { questions: [], skipped: [{ order: 0, title: '(file)', reason: 'no <quiz> element: not a Moodle XML export' }] };
  const result: ParseResult = { questions: [], skipped: [] };
  asArray(quiz.question as Node | Node[]).forEach((q, index) => {
    const type = String(q['@type'] ?? '');
    if (type === 'category' || type === 'description') return;
    const title = htmlToText(textOf(q.name)) || `question ${index + 1}`;
    if (type !== 'multichoice') {
      result.skipped.push({ order: index, title, reason: `is a ${type || 'untyped'} question; only multiple choice can be imported` });
      return;
    }
    const stemHtml = textOf(q.questiontext);
    if (/<img\b/i.test(stemHtml) || /@@PLUGINFILE@@/.test(stemHtml)) {
      result.skipped.push({ order: index, title, reason: 'its text contains an image; bank items are plain text' });
      return;
    }
    const single = (textOf(q.single) || 'true').toLowerCase();
    if (single === 'false' || single === '0') {
      result.skipped.push({ order: index, title, reason: 'allows several answers (single=false); the bank needs one best answer' });
      return;
    }
    const question: ParsedQuestion = {
      order: index,
      title,
      stem: htmlToText(stemHtml),
      options: asArray(q.answer as Node | Node[]).map((a) => ({
        text: htmlToText(textOf(a)),
        fraction: Number(a['@fraction'] ?? 0),
        feedback: htmlToText(textOf(a.feedback)),
      })),
    };
    result.questions.push(question);
  });
  return result;
}
