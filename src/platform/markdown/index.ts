export {
  markdownToText,
  plainTextOf,
  renderMarkdown,
  shortenText,
  MARKDOWN_MAX_LENGTH,
} from './markdown.js';
export { storedBody, storedMarkdown, type StoredBody, type StoredMarkdown } from './stored.js';
