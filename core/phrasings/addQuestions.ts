import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node } from 'yaml';
import { ValidationError } from '../errors.ts';

const OPEN = /^(\uFEFF?---[ \t]*)(\r?\n)/;
const CLOSE = /^---[ \t]*$/m;

/**
 * An article's source with more phrasings under `questions:`, every other
 * byte unchanged: the body, the other fields, their comments, quoting and
 * order. The front matter is edited as text at the positions the YAML parser
 * reports, not re-serialised, so the change a reviewer sees in git is only
 * the added lines. Handles a block list (indented or not), a flow list
 * (`[a, b]`), an empty `questions:` and an article without the field.
 */
export function addQuestions(source: string, questions: string[]): string {
  if (!questions.length) return source;
  const open = OPEN.exec(source);
  if (!open) throw new ValidationError('the article has no front matter');
  const eol = open[2]!;
  const start = open[0].length;
  const close = CLOSE.exec(source.slice(start));
  if (!close) throw new ValidationError('the front matter is not closed');
  const yaml = source.slice(start, start + close.index);
  return source.slice(0, start) + addToYaml(yaml, questions, eol) + source.slice(start + close.index);
}

function addToYaml(yaml: string, questions: string[], eol: string): string {
  const doc = parseDocument(yaml, { schema: 'core', uniqueKeys: true });
  if (doc.errors.length)
    throw new ValidationError(`the front matter is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) throw new ValidationError('the front matter is not a mapping of fields');
  const pair = doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'questions');
  const block = (indent: string) => questions.map((q) => `${indent}- ${blockScalar(q)}`);

  if (!pair) {
    const base = yaml.length && !yaml.endsWith('\n') ? yaml + eol : yaml;
    return base + ['questions:', ...block('  ')].join(eol) + eol;
  }
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  if (!value || (isScalar(value) && (value.value === null || value.value === ''))) {
    // `questions:` or `questions: ~`: the key's line becomes the head of a block list.
    const lineEnd = endOfLine(yaml, key.range![0]);
    return yaml.slice(0, key.range![0]) + ['questions:', ...block('  ')].join(eol) + yaml.slice(lineEnd);
  }
  if (!isSeq(value)) throw new ValidationError('questions: is not a list');
  if (value.flow) {
    const items = value.items.map((i) => yaml.slice((i as Node).range![0], (i as Node).range![1]));
    const list = `[${[...items, ...questions.map((q) => JSON.stringify(q))].join(', ')}]`;
    return yaml.slice(0, value.range![0]) + list + yaml.slice(value.range![1]);
  }
  const first = value.range![0];
  const indent = ' '.repeat(first - (yaml.lastIndexOf('\n', first - 1) + 1));
  // After the last item's line (its trailing comment stays with it).
  let last = value.range![1];
  while (last > first && /\s/.test(yaml[last - 1]!)) last--;
  const at = endOfLine(yaml, last - 1);
  return (
    yaml.slice(0, at) +
    block(indent)
      .map((l) => eol + l)
      .join('') +
    yaml.slice(at)
  );
}

/** A question as one plain or quoted YAML scalar on one line. */
function blockScalar(q: string): string {
  return stringify(q, { lineWidth: 0 }).replace(/\r?\n$/, '');
}

function endOfLine(text: string, from: number): number {
  const n = text.indexOf('\n', Math.max(0, from));
  if (n < 0) return text.length;
  return text[n - 1] === '\r' ? n - 1 : n;
}
