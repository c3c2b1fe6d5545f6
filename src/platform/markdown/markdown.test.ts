import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markdownToText, renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  test('renders CommonMark with tables, strikethrough and bare links', () => {
    const html = renderMarkdown(
      '# Title\n\n*em* **strong** ~~gone~~ `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nsee https://example.com',
    );
    assert.match(html, /<h2>Title<\/h2>/);
    assert.match(html, /<em>em<\/em> <strong>strong<\/strong> <s>gone<\/s> <code>code<\/code>/);
    assert.match(html, /<table>/);
    assert.match(
      html,
      /<a href="https:\/\/example\.com" rel="nofollow ugc noopener">https:\/\/example\.com<\/a>/,
    );
  });

  test('every link gets rel="nofollow ugc noopener", whatever the author wrote', () => {
    const html = renderMarkdown('[site](https://example.com "Title")');
    assert.equal(
      html.trim(),
      '<p><a href="https://example.com" title="Title" rel="nofollow ugc noopener">site</a></p>',
    );
  });

  const hostile: [string, RegExp][] = [
    ['<script>alert(1)</script>', /<script/i],
    ['<img src=x onerror=alert(1)>', /<img/i],
    ['<svg onload=alert(1)>', /<svg/i],
    ['[x](javascript:alert(1))', /href="javascript/i],
    ['[x](JaVaScRiPt:alert(1))', /href="javascript/i],
    ['[x](&#106;avascript:alert(1))', /href="[^"]*script/i],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', /href="data:/i],
    ['[x](vbscript:msgbox(1))', /href="vbscript/i],
    ['<javascript:alert(1)>', /href="javascript/i],
    ['![x](javascript:alert(1))', /<img/i],
    ['![tracker](https://evil.example/pixel.gif)', /<img/i],
    ['![x](//evil.example/a.png)', /<img/i],
    ['<a href="https://ok.example" onclick="x()">y</a>', /<a[^>]*onclick/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<style>body{display:none}</style>', /<style/i],
    ['[x](https://ok.example" onmouseover="alert(1))', /<a[^>]*onmouseover/i],
  ];
  for (const [input, forbidden] of hostile) {
    test(`neutralises ${input}`, () => {
      const html = renderMarkdown(input);
      assert.doesNotMatch(html, forbidden);
      // As text these are harmless; as markup they must not exist.
      assert.doesNotMatch(
        html,
        /<script|<[a-z][^>]*\son\w+=|(href|src)="\s*(javascript|data|vbscript):/i,
      );
    });
  }

  test('keeps images from our own origin only', () => {
    assert.match(
      renderMarkdown('![cover](/media/abc/640.webp)'),
      /<img src="\/media\/abc\/640\.webp" alt="cover" \/?>/,
    );
    assert.doesNotMatch(renderMarkdown('![cover](https://cdn.example/a.webp)'), /<img/);
  });

  test('raw HTML is shown as text, not run', () => {
    assert.match(renderMarkdown('a <b>bold</b> claim'), /a &lt;b&gt;bold&lt;\/b&gt; claim/);
  });
});

describe('markdownToText', () => {
  test('gives the words without markup, shortened with an ellipsis', () => {
    assert.equal(
      markdownToText('# Hello\n\nA *new* [album](https://x.example) & more'),
      'Hello A new album & more',
    );
    assert.equal(markdownToText('word '.repeat(100), 20), 'word word word word…');
  });
});
