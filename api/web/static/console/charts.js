// Bar charts drawn as SVG by the page itself: no chart library to install, vendor or trust under
// the page's content policy, and every label goes in as text. A chart is a picture for sighted
// officers; the same figures are in a table beside it for screen readers.
import {node, number} from "./core.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW = 30;
const WIDTH = 440;
const LABEL_W = 190;
const VALUE_W = 50;

function svg(tag, attributes, text) {
  const item = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) item.setAttribute(name, String(value));
  if (text !== undefined) item.textContent = String(text);
  return item;
}

// entries: [[label, value], ...] drawn largest first; `id` names the figure for tests and links.
export function barChart(id, title, entries, emptyText) {
  const rows = [...entries].sort((a, b) => b[1] - a[1]);
  const figure = node("figure", null, "chart");
  figure.id = id;
  const caption = node("figcaption", title);
  caption.id = id + "-caption";
  figure.appendChild(caption);
  const most = Math.max(1, ...rows.map((r) => r[1]));
  const height = Math.max(1, rows.length) * ROW + 6;
  const picture = svg("svg", {viewBox: `0 0 ${WIDTH} ${height}`, width: "100%",
                              "aria-hidden": "true", focusable: "false"});
  rows.forEach(([name, value], i) => {
    const y = i * ROW + 3;
    const group = svg("g", {class: "bar-row"});
    group.appendChild(svg("title", {}, `${name}: ${number(value)}`));
    group.appendChild(svg("text", {x: LABEL_W - 8, y: y + ROW / 2 + 5, "text-anchor": "end",
                                   class: "bar-label"}, name));
    const length = Math.round(((WIDTH - LABEL_W - VALUE_W) * value) / most);
    group.appendChild(svg("rect", {x: LABEL_W, y: y + 4, width: Math.max(2, length),
                                   height: ROW - 10, rx: 3, class: "bar"}));
    group.appendChild(svg("text", {x: LABEL_W + Math.max(2, length) + 6, y: y + ROW / 2 + 5,
                                   class: "bar-value"}, number(value)));
    picture.appendChild(group);
  });
  if (rows.length) figure.appendChild(picture);
  else figure.appendChild(node("p", emptyText || "", "hint"));
  figure.appendChild(table(title, rows));
  return figure;
}

function table(title, rows) {
  const t = node("table", null, "visually-hidden");
  t.appendChild(node("caption", title));
  const body = node("tbody");
  for (const [name, value] of rows) {
    const row = node("tr");
    const head = node("th", name);
    head.scope = "row";
    row.append(head, node("td", number(value)));
    body.appendChild(row);
  }
  t.appendChild(body);
  return t;
}
