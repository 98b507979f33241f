/** The demo's only stylesheet, served from /style.css (the CSP allows styles from this origin only). */
export const STYLESHEET = `
:root { color-scheme: light; --bg: #f7f7f5; --fg: #1d1d1b; --muted: #5f5f5a; --card: #fff;
  --line: #ddddd8; --accent: #2457c5; }
body.theme-dark { color-scheme: dark; --bg: #16171a; --fg: #ececea; --muted: #a4a4a0;
  --card: #222327; --line: #3a3b40; --accent: #86a8ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header, main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 1.4rem; }
nav { display: flex; gap: 1rem; margin-left: auto; }
a { color: var(--accent); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; }
h2 { margin-top: 0; font-size: 1.1rem; }
.muted { color: var(--muted); font-size: 0.9rem; }
.problem { border-color: #c33; }
form.inline { display: inline; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
input, select, button { font: inherit; padding: 0.25rem 0.5rem; }
`;
