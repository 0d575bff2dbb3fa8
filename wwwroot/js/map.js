// CiliumDash service map: draws the serviceMap hub topic with Cytoscape.js on a canvas (no DOM node per element),
// places nodes with a layout in a web worker (js/map-layout.js) and keeps placed nodes where they are. Clicks go back
// to the page (.NET) which shows the panels. window.ciliumdashMap.state() reports what is drawn (for tests and tools).
let cy = null, connection = null, worker = null, page = null, query = "", seq = 0;
const known = new Map();     // id -> [x, y] of every node ever placed: a node that comes back returns to its place
const stats = { updates: 0, nodes: 0, edges: 0, autoGrouped: false, collapsed: [], query: "", layouts: 0, error: null, lastUpdate: null };

function load(src) {
    return new Promise((resolve, reject) => {
        if (document.querySelector(`script[data-ciliumdash="${src}"]`)) { resolve(); return; }
        const s = document.createElement("script");
        s.src = src; s.dataset.ciliumdash = src; s.onload = resolve; s.onerror = () => reject(new Error("could not load " + src));
        document.head.appendChild(s);
    });
}

function colours(el) {
    const css = getComputedStyle(el);
    const v = (name, fallback) => (css.getPropertyValue(name) || "").trim() || fallback;
    return {
        text: v("--mud-palette-text-primary", "#1f2328"),
        muted: v("--mud-palette-text-secondary", "#59636e"),
        bad: v("--mud-palette-error", "#cf222e"),
        warn: v("--mud-palette-warning", "#9a6700"),
        workload: v("--mud-palette-primary", "#0969da"),
        edge: v("--mud-palette-lines-default", "#8c959f"),
    };
}

function style(c) {
    return [
        { selector: "node", style: { "background-color": c.workload, "label": "data(label)", "color": c.text, "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, "width": "data(size)", "height": "data(size)", "min-zoomed-font-size": 7 } },
        { selector: "node[kind = 'reserved']", style: { "shape": "diamond", "background-color": c.muted } },
        { selector: "node[kind = 'external']", style: { "shape": "round-rectangle", "background-color": c.muted } },
        { selector: "node[kind = 'namespace']", style: { "shape": "round-octagon" } },
        { selector: "node[dropped > 0]", style: { "border-width": 3, "border-color": c.bad } },
        { selector: "edge", style: { "width": 1.2, "line-color": c.edge, "target-arrow-color": c.edge, "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.7, "opacity": 0.8 } },
        // Dropped and denied links stand out by colour AND by dash and width (colour alone fails colour-blind readers).
        { selector: "edge[state = 'dropped']", style: { "width": 3, "line-color": c.bad, "target-arrow-color": c.bad, "line-style": "dashed", "opacity": 1 } },
        { selector: "edge[state = 'denied']", style: { "width": 4, "line-color": c.bad, "target-arrow-color": c.bad, "line-style": "dashed", "line-dash-pattern": [8, 4], "opacity": 1 } },
        { selector: "edge[state = 'audit']", style: { "width": 2, "line-color": c.warn, "target-arrow-color": c.warn, "line-style": "dotted" } },
        { selector: ":selected", style: { "overlay-color": c.workload, "overlay-opacity": 0.25, "overlay-padding": 6 } },
    ];
}

function label(n) {
    return n.kind === "workload" || n.kind === "label" ? `${n.namespace}/${n.name}` : n.kind === "reserved" ? n.name : n.name;
}

// A new node starts at the centre of its placed neighbours (or of the drawing), a little off so it can be told apart.
function startAt(id, edges) {
    if (known.has(id)) { return known.get(id); }
    let sx = 0, sy = 0, count = 0;
    for (const e of edges) {
        const other = e.source === id ? e.target : e.target === id ? e.source : null;
        if (other && known.has(other)) { const p = known.get(other); sx += p[0]; sy += p[1]; count++; }
    }
    const angle = Math.random() * Math.PI * 2, r = 40 + Math.random() * 40;
    if (count > 0) { return [sx / count + Math.cos(angle) * r, sy / count + Math.sin(angle) * r]; }
    const spread = 80 * Math.sqrt(known.size + 1);
    return [Math.cos(angle) * spread * Math.random(), Math.sin(angle) * spread * Math.random()];
}

function apply(map) {
    if (!cy) { return; }
    const first = cy.nodes().length === 0;
    const ids = new Set(map.nodes.map(n => n.id));
    const edgeIds = new Set(map.edges.map(e => e.id));
    const added = [];
    cy.batch(() => {
        cy.elements().forEach(el => { if (!(el.isNode() ? ids : edgeIds).has(el.id())) { el.remove(); } });
        for (const n of map.nodes) {
            const data = { id: n.id, label: label(n), kind: n.kind, dropped: n.dropped, flows: n.flows, size: Math.min(40, 10 + Math.log10(1 + n.flows) * 6) };
            const el = cy.getElementById(n.id);
            if (el.nonempty()) { el.data(data); continue; }
            const p = startAt(n.id, map.edges);
            const isNew = !known.has(n.id);
            known.set(n.id, p);
            cy.add({ group: "nodes", data, position: { x: p[0], y: p[1] } });
            if (isNew) { added.push(n.id); }
        }
        for (const e of map.edges) {
            const data = { id: e.id, source: e.source, target: e.target, state: e.state, flows: e.flows };
            const el = cy.getElementById(e.id);
            if (el.nonempty()) { el.data(data); } else { cy.add({ group: "edges", data }); }
        }
    });
    stats.updates++; stats.nodes = map.nodes.length; stats.edges = map.edges.length; stats.autoGrouped = map.autoGrouped;
    stats.collapsed = map.collapsedNamespaces; stats.query = map.query; stats.lastUpdate = new Date().toISOString();
    if (added.length > 0) { layout(first, new Set(added)); }
    if (first) { cy.fit(undefined, 30); }
}

function layout(all, moving) {
    const nodes = cy.nodes().map(n => ({ id: n.id(), x: n.position("x"), y: n.position("y"), fixed: !all && !moving.has(n.id()) }));
    const edges = cy.edges().map(e => [e.data("source"), e.data("target")]);
    worker.postMessage({ seq: ++seq, all, nodes, edges });
}

function placed(msg) {
    if (!cy) { return; }
    stats.layouts++;
    cy.batch(() => {
        for (const [id, x, y] of msg.positions) {
            known.set(id, [x, y]);
            const el = cy.getElementById(id);
            if (el.nonempty()) { el.position({ x, y }); }
        }
    });
    if (stats.layouts === 1) { cy.fit(undefined, 30); }
}

export async function start(element, hubUrl, initialQuery, dotnet) {
    page = dotnet; query = initialQuery || "";
    const base = document.baseURI;
    await load(new URL("lib/cytoscape/cytoscape.min.js", base).href);
    await load(new URL("lib/signalr/signalr.min.js", base).href);
    worker = new Worker(new URL("js/map-layout.js", base).href);
    worker.onmessage = e => placed(e.data);
    cy = window.cytoscape({
        container: element, style: style(colours(element)), wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4,
        textureOnViewport: true, hideEdgesOnViewport: true, pixelRatio: 1, boxSelectionEnabled: false,
    });
    cy.on("tap", "node", e => page.invokeMethodAsync("SelectNode", e.target.id()));
    cy.on("tap", "edge", e => page.invokeMethodAsync("SelectEdge", e.target.id()));
    cy.on("dragfree", "node", e => known.set(e.target.id(), [e.target.position("x"), e.target.position("y")]));
    connection = new window.signalR.HubConnectionBuilder().withUrl(hubUrl).withAutomaticReconnect().build();
    const receive = (topic, payload) => { if (topic === "serviceMap") { apply(payload); } };
    connection.on("Snapshot", receive);
    connection.on("Changed", receive);
    connection.onreconnected(() => subscribe());
    await connection.start();
    await subscribe();
}

async function subscribe() {
    try {
        stats.error = null;
        await connection.invoke("SubscribeServiceMap", query);
    } catch (err) {
        stats.error = String(err && err.message || err);
        if (page) { page.invokeMethodAsync("MapError", stats.error); }
    }
}

export async function setQuery(next) {
    query = next || "";
    if (connection) { await subscribe(); }
}

export function focus(id) {
    if (!cy) { return; }
    const el = cy.getElementById(id);
    if (el.nonempty()) { cy.elements().unselect(); el.select(); cy.animate({ center: { eles: el }, duration: 200 }); }
}

export function restyle(element) { if (cy) { cy.style(style(colours(element))); } }

export async function copy(text) { await navigator.clipboard.writeText(text); }

export function fit() { if (cy) { cy.fit(undefined, 30); } }

export async function stop() {
    if (connection) { await connection.stop(); connection = null; }
    if (worker) { worker.terminate(); worker = null; }
    if (cy) { cy.destroy(); cy = null; }
    known.clear(); page = null;
}

// The test and tooling hook: what the map draws now, with where each node is.
window.ciliumdashMap = {
    state: () => ({
        ...stats,
        nodeIds: cy ? cy.nodes().map(n => n.id()) : [],
        edgeIds: cy ? cy.edges().map(e => e.id()) : [],
        positions: cy ? Object.fromEntries(cy.nodes().map(n => [n.id(), [Math.round(n.position("x")), Math.round(n.position("y"))]])) : {},
        edgeStyles: cy ? Object.fromEntries(cy.edges().map(e => [e.id(), { state: e.data("state"), lineStyle: e.style("line-style"), width: e.style("width") }])) : {},
    }),
    tap: (id) => { if (cy) { cy.getElementById(id).emit("tap"); } },
};
