// CiliumDash service map layout, run in a web worker so the page never waits for it.
// Stable by design: nodes that already have a position stay where they are (unless "all" is asked for, the first
// layout); new nodes start next to their neighbours and only they move. Repulsion uses a grid of cells, so an
// iteration costs about O(nodes) instead of O(nodes^2).
"use strict";
var ideal = 60;

self.onmessage = function (e) {
    var msg = e.data;
    var nodes = msg.nodes; // [{id, x, y, fixed}]
    var index = new Map();
    for (var i = 0; i < nodes.length; i++) { index.set(nodes[i].id, i); }
    var edges = [];
    for (var k = 0; k < msg.edges.length; k++) {
        var s = index.get(msg.edges[k][0]), t = index.get(msg.edges[k][1]);
        if (s !== undefined && t !== undefined && s !== t) { edges.push([s, t]); }
    }
    var moving = nodes.filter(function (n) { return !n.fixed; }).length;
    if (moving === 0) { self.postMessage({ seq: msg.seq, positions: [] }); return; }
    var iterations = msg.iterations || (msg.all ? 220 : 80);
    var x = new Float64Array(nodes.length), y = new Float64Array(nodes.length);
    for (var n = 0; n < nodes.length; n++) { x[n] = nodes[n].x; y[n] = nodes[n].y; }
    var dx = new Float64Array(nodes.length), dy = new Float64Array(nodes.length);
    var cell = ideal * 2;
    for (var it = 0; it < iterations; it++) {
        var temp = ideal * (1 - it / iterations) + 1;
        dx.fill(0); dy.fill(0);
        var grid = new Map();
        for (var a = 0; a < nodes.length; a++) {
            var key = Math.floor(x[a] / cell) + ":" + Math.floor(y[a] / cell);
            var list = grid.get(key);
            if (!list) { list = []; grid.set(key, list); }
            list.push(a);
        }
        for (var b = 0; b < nodes.length; b++) {
            if (nodes[b].fixed) { continue; }
            var cx = Math.floor(x[b] / cell), cy = Math.floor(y[b] / cell);
            for (var gx = cx - 1; gx <= cx + 1; gx++) {
                for (var gy = cy - 1; gy <= cy + 1; gy++) {
                    var others = grid.get(gx + ":" + gy);
                    if (!others) { continue; }
                    for (var o = 0; o < others.length; o++) {
                        var c = others[o];
                        if (c === b) { continue; }
                        var ddx = x[b] - x[c], ddy = y[b] - y[c];
                        var d2 = ddx * ddx + ddy * ddy + 0.01;
                        var f = (ideal * ideal) / d2;
                        dx[b] += ddx * f; dy[b] += ddy * f;
                    }
                }
            }
        }
        for (var e2 = 0; e2 < edges.length; e2++) {
            var p = edges[e2][0], q = edges[e2][1];
            var ex = x[q] - x[p], ey = y[q] - y[p];
            var dist = Math.sqrt(ex * ex + ey * ey) + 0.01;
            var pull = dist / ideal;
            if (!nodes[p].fixed) { dx[p] += ex * pull * 0.5; dy[p] += ey * pull * 0.5; }
            if (!nodes[q].fixed) { dx[q] -= ex * pull * 0.5; dy[q] -= ey * pull * 0.5; }
        }
        for (var m = 0; m < nodes.length; m++) {
            if (nodes[m].fixed) { continue; }
            var len = Math.sqrt(dx[m] * dx[m] + dy[m] * dy[m]);
            if (len > 0) { x[m] += dx[m] / len * Math.min(len, temp); y[m] += dy[m] / len * Math.min(len, temp); }
        }
    }
    var out = [];
    for (var r = 0; r < nodes.length; r++) {
        if (!nodes[r].fixed) { out.push([nodes[r].id, Math.round(x[r]), Math.round(y[r])]); }
    }
    self.postMessage({ seq: msg.seq, positions: out });
};
