import { htmlToText, type ParsedOption, type ParseResult } from './parsed-question';

const ESCAPED = /\\([~=#{}:\\])/g;
const PLACEHOLDER = (c: string) => `\u0000${c.charCodeAt(0)}\u0000`;
// eslint-disable-next-line no-control-regex -- NUL delimits placeholders because it cannot occur in GIFT text
const restore = (s: string) => s.replace(/\u0000(\d+)\u0000/g, (_, code) => String.fromCharCode(Number(code)));

function stripFormat(text: string): string {
  const m = /^\s*\[(html|markdown|plain|moodle)\]/i.exec(text);
  if (!m) return text.trim();
  const body = text.slice(m[0].length);
  return m[1].toLowerCase() === 'html' ? htmlToText(restore(body)) : body.trim();
}

/**
 * GIFT (docs.moodle.org "GIFT format"): questions separated by blank lines,
 * `::title:: text {=right #feedback ~wrong #feedback}`; `//` comments; `$CATEGORY:` lines.
 */
export function parseGift(source: string): ParseResult {
  const result: ParseResult = { questions: [], skipped: [] };
  const text = source.replace(/\r\n?/g, '\n').replace(ESCAPED, (_, c) => PLACEHOLDER(c));
  const blocks = text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line) && !/^\s*\$CATEGORY:/i.test(line))
    .join('\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);

  blocks.forEach((block, index) => {
    let rest = block;
    let title = `question ${index + 1}`;
    const t = /^::(.*?)::/s.exec(rest);
    if (t) {
      title = restore(t[1]).trim() || title;
      rest = rest.slice(t[0].length);
    }
    const open = rest.indexOf('{');
    const close = rest.lastIndexOf('}');
    if (open < 0 || close < open) {
      result.skipped.push({ order: index, title: restore(title), reason: 'has no answer block {…}' });
      return;
    }
    const stem = restore(stripFormat(rest.slice(0, open) + ' ' + rest.slice(close + 1)).trim());
    const answers = rest.slice(open + 1, close).trim();
    if (answers === '') return void result.skipped.push({ order: index, title, reason: 'is an essay question; only multiple choice can be imported' });
    if (/^(T|F|TRUE|FALSE)\b/i.test(answers)) return void result.skipped.push({ order: index, title, reason: 'is a true/false question; only multiple choice can be imported' });
    if (answers.startsWith('#')) return void result.skipped.push({ order: index, title, reason: 'is a numerical question; only multiple choice can be imported' });
    if (answers.includes('->')) return void result.skipped.push({ order: index, title, reason: 'is a matching question; only multiple choice can be imported' });
    if (!answers.includes('~')) return void result.skipped.push({ order: index, title, reason: 'is a short-answer question; only multiple choice can be imported' });

    const options: ParsedOption[] = [];
    for (const m of answers.matchAll(/([=~])([^=~]*)/g)) {
      let body = m[2];
      let fraction = m[1] === '=' ? 100 : 0;
      const weight = /^%(-?\d+(?:\.\d+)?)%/.exec(body);
      if (weight) {
        fraction = Number(weight[1]);
        body = body.slice(weight[0].length);
      }
      const [answerText, ...feedback] = body.split('#');
      options.push({
        text: restore(stripFormat(answerText)),
        fraction,
        feedback: restore(stripFormat(feedback.join('#'))),
      });
    }
    result.questions.push({ order: index, title, stem, options });
  });
  return result;
}
