import { SafeHtml, escapeHtml, html } from './html';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('plain text, ünïcode')).toBe('plain text, ünïcode');
  });
});

describe('html', () => {
  it('escapes every interpolated value', () => {
    const name = '<script>alert(1)</script>';
    const attribute = '" onmouseover="alert(1)';
    expect(html`<p title="${attribute}">${name}</p>`.value).toBe(
      '<p title="&quot; onmouseover=&quot;alert(1)">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('keeps nested templates as they are, without escaping them twice', () => {
    const items = ['a&b', '<i>'];
    const list = html`<ul>
      ${items.map((item) => html`<li>${item}</li>`)}
    </ul>`;
    // Prettier lays the template out over lines; the markup between tags is what counts.
    expect(list.value.replace(/>\s+</g, '><')).toBe('<ul><li>a&amp;b</li><li>&lt;i&gt;</li></ul>');
    expect(html`<div>${list}</div>`.value).toBe(`<div>${list.value}</div>`);
  });

  it('renders nothing for undefined, null and false, and JSON for other non-strings', () => {
    expect(html`[${undefined}${null}${false}]`.value).toBe('[]');
    expect(html`${3} ${true} ${{ a: '<' }}`.value).toBe('3 true {&quot;a&quot;:&quot;&lt;&quot;}');
  });

  it('does not trust look-alike objects', () => {
    const fake = { value: '<b>' } as unknown as SafeHtml;
    expect(html`${fake}`.value).toBe('{&quot;value&quot;:&quot;&lt;b&gt;&quot;}');
  });
});
