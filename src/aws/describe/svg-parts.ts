/**
 * The pieces of an SVG diagram the app graph and each state machine's graph share: escaping,
 * clipped labels, arrowheads per edge style, a node's box and the `<svg>` around it all.
 */
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One arrowhead `<marker id="<prefix>-<kind>">` per edge kind, in that kind's stroke colour. */
export function arrowMarkers(prefix: string, styles: Readonly<Record<string, { stroke: string }>>): string {
  return Object.entries(styles)
    .map(
      ([kind, style]) =>
        `<marker id="${prefix}-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${style.stroke}"/></marker>`,
    )
    .join("");
}

/** A node's box: its outline, the kind in small capitals, then its label and detail clipped to fit. */
export function nodeBox(
  rx: number,
  style: { fill: string; stroke: string },
  kind: string,
  label: string,
  detail: string,
): string {
  return `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="${rx}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"/><text class="kind" x="12" y="16" fill="${style.stroke}">${escapeHtml(kind)}</text><text class="label" x="12" y="33">${escapeHtml(clip(label, 24))}</text><text class="detail" x="12" y="46">${escapeHtml(clip(detail, 34))}</text>`;
}

/** The `<svg>` element: markers in `<defs>`, then the edges under the nodes. */
export function svgDiagram(
  ariaLabel: string,
  size: { readonly width: number; readonly height: number },
  markers: string,
  edges: string,
  nodes: string,
): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${ariaLabel}" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}"><defs>${markers}</defs>
<g class="edges">${edges}</g>
<g class="nodes">${nodes}</g>
</svg>`;
}
