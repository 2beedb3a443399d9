// A press release's body, from Markdown to safe HTML: raw HTML is text, links only to web, mail or this site.
import MarkdownIt from 'markdown-it';

/** http(s), mailto, or a path on this site; never javascript:, data: or anything else a browser might run. */
const SAFE_LINK = /^(?:https?:\/\/|mailto:|\/(?![/\\]))/i;

const markdown = new MarkdownIt('zero', { html: false, linkify: true, typographer: false, breaks: false });
// Paragraphs, emphasis, links and lists: what a release needs. No images (they would load from anywhere),
// no raw HTML (html: false turns it into text), no headings (the page owns its outline).
markdown.enable(['paragraph', 'emphasis', 'link', 'linkify', 'list', 'newline', 'escape', 'backticks', 'blockquote', 'entity']);
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());
markdown.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  token?.attrJoin('class', 'govuk-link');
  return self.renderToken(tokens, idx, options);
};
markdown.renderer.rules.paragraph_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrJoin('class', 'govuk-body');
  return self.renderToken(tokens, idx, options);
};
markdown.renderer.rules.bullet_list_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrJoin('class', 'govuk-list govuk-list--bullet');
  return self.renderToken(tokens, idx, options);
};
markdown.renderer.rules.ordered_list_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrJoin('class', 'govuk-list govuk-list--number');
  return self.renderToken(tokens, idx, options);
};

/**
 * The body as HTML. The one place a release's HTML is built rather than escaped by a template: markdown-it escapes
 * every text and attribute itself, and validateLink drops links to anything but the schemes above.
 */
export function renderReleaseMarkdown(source: string): string {
  return markdown.render(source);
}

// A second parser that sees raw HTML and every link as written, only to name what the author must change.
const inspector = new MarkdownIt('commonmark', { html: true, linkify: true });
inspector.validateLink = () => true;

/**
 * What is wrong with a body for a release, in words the author can act on, or null. Raw HTML (script above all) and
 * links a browser would run are refused at the door, so nothing is saved that the page would have to neutralise.
 */
export function markdownProblem(source: string): string | null {
  const tokens = inspector.parse(source, {});
  const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
  const html = all.find((t) => t.type === 'html_block' || t.type === 'html_inline');
  if (html) {
    const tag = /<\/?\s*([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.content)?.[1]?.toLowerCase();
    return tag === 'script'
      ? 'The body contains a script, which is not allowed: write the release in plain text and Markdown'
      : `The body contains HTML${tag ? ` (<${tag}>)` : ''}, which is not allowed: use Markdown for emphasis and links`;
  }
  for (const t of all) {
    if (t.type !== 'link_open' && t.type !== 'image') continue;
    const href = String(t.attrGet(t.type === 'image' ? 'src' : 'href') ?? '').trim();
    if (!SAFE_LINK.test(href)) return `The link “${href.slice(0, 60)}” is not allowed: links must start with https://, http://, mailto: or /`;
  }
  return null;
}

/** The body as plain text (feeds' summaries, search): the words, without the markup. */
export function releasePlainText(source: string): string {
  return source
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
