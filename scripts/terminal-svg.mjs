// Renders a terminal capture (tmux capture-pane -e -p output, with ANSI colours) as an SVG picture,
// for README's screenshot. Usage: node scripts/terminal-svg.mjs capture.txt out.svg "title"
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, title = 'gitlab-agent-tui'] = process.argv.slice(2);
const text = readFileSync(input, 'utf8').replace(/\s+$/, '');
const PALETTE = ['#1e1e1e', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#e5e5e5'];
const BRIGHT = ['#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const CELL_W = 8.4;
const LINE_H = 18;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const rows = [];
let cols = 0;
for (const line of text.split('\n')) {
  const spans = [];
  let style = { fg: undefined, bold: false, dim: false };
  let col = 0;
  for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (sgr) {
      const codes = sgr[1] === '' ? [0] : sgr[1].split(';').map(Number);
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i];
        if (c === 0) style = { fg: undefined, bold: false, dim: false };
        else if (c === 1) style = { ...style, bold: true };
        else if (c === 2) style = { ...style, dim: true };
        else if (c === 22) style = { ...style, bold: false, dim: false };
        else if (c >= 30 && c <= 37) style = { ...style, fg: PALETTE[c - 30] };
        else if (c >= 90 && c <= 97) style = { ...style, fg: BRIGHT[c - 90] };
        else if (c === 39) style = { ...style, fg: undefined };
        else if (c === 38 && codes[i + 1] === 5) i += 2;
        else if (c === 38 && codes[i + 1] === 2) {
          style = { ...style, fg: `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})` };
          i += 4;
        }
      }
    } else if (part) {
      spans.push({ col, text: part, ...style });
      col += [...part].length;
    }
  }
  cols = Math.max(cols, col);
  rows.push(spans);
}
const width = Math.ceil(cols * CELL_W) + 32;
const height = rows.length * LINE_H + 56;
const body = rows
  .map((spans, r) =>
    spans
      .map((s) => {
        const fill = s.fg ?? '#d4d4d4';
        const attrs = `${s.bold ? ' font-weight="bold"' : ''}${s.dim ? ' opacity="0.6"' : ''}`;
        return `<text x="${16 + s.col * CELL_W}" y="${44 + r * LINE_H}" fill="${fill}"${attrs} xml:space="preserve">${esc(s.text)}</text>`;
      })
      .join(''),
  )
  .join('\n');
writeFileSync(
  output,
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">
<rect width="100%" height="100%" rx="8" fill="#1e1e1e"/>
<circle cx="18" cy="14" r="5" fill="#ff5f56"/><circle cx="34" cy="14" r="5" fill="#ffbd2e"/><circle cx="50" cy="14" r="5" fill="#27c93f"/>
<text x="${width / 2}" y="18" fill="#999" text-anchor="middle" font-size="12">${esc(title)}</text>
${body}
</svg>
`,
);
