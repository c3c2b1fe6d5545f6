import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PAYWALL_DIVIDER, previewOf, teaserOf, withoutDivider } from './paywall.js';

const prose = (words: number, word = 'lorem') =>
  Array.from({ length: words }, () => word).join(' ');

describe('previewOf with the divider', () => {
  test('everything before the divider line, nothing after it', () => {
    const body = `# Opening\n\nFree words.\n\n${PAYWALL_DIVIDER}\n\nPaid words.`;
    assert.deepEqual(previewOf(body), { preview: '# Opening\n\nFree words.', divided: true });
  });

  test('spacing and case inside the comment do not matter; the first divider counts', () => {
    const body = `Free.\n  <!--Paywall -->  \nPaid.\n${PAYWALL_DIVIDER}\nMore.`;
    assert.equal(previewOf(body).preview, 'Free.');
  });

  test('a divider inside a code fence is code, not a divider', () => {
    const body = `Intro.\n\n\`\`\`html\n${PAYWALL_DIVIDER}\n\`\`\`\n\n${prose(400)}`;
    const { divided, preview } = previewOf(body);
    assert.equal(divided, false);
    assert.ok(preview.length < body.length * 0.31);
  });

  test('a divider in the middle of a line is text', () => {
    const body = `Say ${PAYWALL_DIVIDER} here.\n\n${prose(400)}`;
    assert.equal(previewOf(body).divided, false);
  });

  test('withoutDivider keeps every word and drops the divider line', () => {
    const body = `Free.\n${PAYWALL_DIVIDER}\nPaid.`;
    assert.equal(withoutDivider(body), 'Free.\n\nPaid.');
    assert.equal(withoutDivider('No divider.'), 'No divider.');
  });
});

describe('teaserOf without a divider', () => {
  test('whole blocks from the start: a heading stays a heading, a paragraph whole', () => {
    const body = `## Chapter one\n\n${prose(20, 'first')}\n\n${prose(200, 'second')}\n\n${prose(200, 'third')}`;
    const teaser = teaserOf(body);
    assert.equal(teaser, `## Chapter one\n\n${prose(20, 'first')}`);
  });

  test('a list keeps its first items as a list; a quote its marks', () => {
    const items = Array.from({ length: 60 }, (_, i) => `- point number ${i} ${prose(5)}`).join(
      '\n',
    );
    const list = teaserOf(`${items}\n\n${prose(300)}`);
    assert.match(list, /^- point number 0 /);
    assert.ok(list.split('\n').every((line) => line.startsWith('- ')));
    assert.ok(!list.includes('point number 59'));
    const quote = teaserOf(`> ${prose(30, 'quoted')}\n\n${prose(300)}`);
    assert.match(quote, /^> quoted/);
  });

  test('one long paragraph is cut between words, as plain text, with an ellipsis', () => {
    const body = `**Bold** start ${prose(500, 'word')} SECRET`;
    const teaser = teaserOf(body);
    assert.match(teaser, /^Bold start word/);
    assert.match(teaser, /word…$/);
    assert.ok(!teaser.includes('SECRET'));
    assert.ok(!teaser.includes('**'), 'no half-closed markup');
  });

  test('never more than 30 % of the text, never more than 800 characters', () => {
    for (const words of [10, 40, 100, 1000]) {
      const body = Array.from({ length: words }, (_, i) => `Paragraph ${i} ${prose(8)}.`).join(
        '\n\n',
      );
      const teaser = teaserOf(body);
      assert.ok(
        teaser.length <= Math.min(800, body.length * 0.3) + 1,
        `${words}: ${teaser.length}`,
      );
    }
  });

  test('an empty text has an empty teaser', () => {
    assert.equal(teaserOf('  \n'), '');
  });
});

test('a heading followed by one long paragraph gives the heading and the opening words', () => {
  const teaser = teaserOf(`# Title\n\n${prose(400, 'word')}`);
  assert.match(teaser, /^# Title\n\nword word/);
  assert.match(teaser, /…$/);
});
