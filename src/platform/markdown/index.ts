export { markdownToText, renderMarkdown, MARKDOWN_MAX_LENGTH } from './markdown.js';
